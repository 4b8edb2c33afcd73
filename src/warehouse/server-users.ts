import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRunning, THIS_PROCESS, type ProcessIdentity } from './process-identity.js';

/**
 * Who uses the embedded server: one empty file per user in a folder, named
 * `PID-START-N` (the process's identity and a count, as one process may open
 * several connections). Changed only under the server's lock.
 */
let registered = 0;

export function addUser(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const name = `${THIS_PROCESS}-${++registered}`;
  writeFileSync(path.join(folder, name), '');
  return name;
}

export function removeUser(folder: string, name: string): void {
  rmSync(path.join(folder, name), { force: true });
}

/** How many users remain whose process still runs; those of ended processes (killed) are removed. */
export function countUsers(folder: string): number {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  let running = 0;
  for (const name of names) {
    const identity: ProcessIdentity = name.slice(0, name.lastIndexOf('-'));
    if (isRunning(identity)) running++;
    else removeUser(folder, name);
  }
  return running;
}

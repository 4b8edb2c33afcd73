import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRunning, THIS_PROCESS, type ProcessIdentity } from './process-identity.js';

/**
 * Who uses the embedded server: one empty file per user in a folder, named
 * `PID-START-N` (the process's identity and a count, as one process may open
 * several connections).
 *
 * Users are added, and counted (which removes those of ended processes), only
 * under the server's lock: so a count that finds none, and the stop that
 * follows it, never cross a user joining. A leaving process removes its own
 * users without the lock (before taking it, and also when it cannot have it):
 * that can only make a count miss a user that no longer needs the server,
 * which the count would ignore anyway once that process has ended; it never
 * hides a user that still does. A process that cannot have the lock so leaves
 * the server running with no users, as a killed one would, for the next
 * sparkify to adopt.
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

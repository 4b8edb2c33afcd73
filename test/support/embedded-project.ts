import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { MINI } from './fixtures.js';
import { isAlive } from './processes.js';
import { tempDir } from './temp-dir.js';

/** A project folder with a dwh.cfg for the embedded engine on a copy of the mini fixture. */
export function embeddedProject(): { dir: string; cfg: string; data: string } {
  const dir = tempDir();
  const data = path.join(dir, 'data');
  cpSync(MINI, data, { recursive: true });
  const cfg = path.join(dir, 'dwh.cfg');
  writeFileSync(cfg, `[CLUSTER]\nHOST=''\n\n[S3]\nLOG_DATA='data/log_data'\nLOG_JSONPATH='data/log_json_path.json'\nSONG_DATA='data/song_data'\n`);
  return { dir, cfg, data };
}

/** The pid in the project's postmaster.pid, or null when there is none (the server is stopped). */
export function postmasterPid(dir: string): number | null {
  try {
    return Number(readFileSync(path.join(dir, '.sparkify/pgdata/postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

/** The pids of the running PostgreSQL processes of the project's data folder (the postmaster and its children). */
export function serverProcesses(dir: string): number[] {
  const dataDir = path.join(dir, '.sparkify/pgdata');
  const postmasters = new Set<number>();
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      parents.set(Number(name), Number(ppid));
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(dataDir)) postmasters.add(Number(name));
    } catch {
      // ended meanwhile
    }
  }
  return [...parents.keys()].filter((pid) => postmasters.has(pid) || postmasters.has(parents.get(pid)!)).sort((a, b) => a - b);
}

/** The pids registered as users of the project's embedded server. */
export function serverUsers(dir: string): number[] {
  try {
    return readdirSync(path.join(dir, '.sparkify/server.users')).map((name) => Number(name.split('-')[0]));
  } catch {
    return [];
  }
}

/** The server that ran as `pid` has stopped, left no postmaster.pid, and none of its processes runs. */
export function expectNoServer(dir: string, pid: number): void {
  expect(postmasterPid(dir)).toBeNull();
  expect(isAlive(pid)).toBe(false);
  expect(serverProcesses(dir)).toEqual([]);
}

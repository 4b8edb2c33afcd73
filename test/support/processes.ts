import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { identify } from '../../src/engines/postgres/embedded/process-identity.js';
import { until } from './poll.js';

/** Whether the process runs (a zombie has ended). */
export const isAlive = (pid: number): boolean => identify(pid) !== null;

/**
 * A running process that is not sparkify (`sleep`), ended after the test
 * file: a pid that a killed sparkify's could have been reused by.
 */
export function startSleeper(): ChildProcess {
  const sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
  afterAll(() => void sleeper.kill());
  return sleeper;
}

/** The process's state letter from /proc (R, S, T stopped, Z…), or null if it is gone. */
function stateOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!;
  } catch {
    return null;
  }
}

/** Stops the process (SIGSTOP) and returns once it is stopped: it is then certainly still running, and does nothing until resumed. */
export async function pause(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  await until(() => {
    const state = stateOf(pid);
    if (state === null || state === 'Z' || state === 'X') throw new Error(`process ${pid} ended before it could be paused`);
    return state === 'T';
  }, `process ${pid} to stop`);
}

export function resume(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

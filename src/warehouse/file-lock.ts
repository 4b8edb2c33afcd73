import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { isRunning, THIS_PROCESS } from './process-identity.js';

/**
 * A lock between processes, as a file: whoever creates it holds it, and
 * removes it to release it. Plain files, no native code:
 *
 * - The lock holds its holder's identity (pid and start time) and a random
 *   tag: `PID-START-TAG`. It appears whole or not at all: the text is written
 *   to a file of our own first, then linked to the lock's name, which fails if
 *   the name exists.
 * - A lock whose holder no longer runs (killed while holding it) is removed,
 *   by one process only: two that found the same dead holder could otherwise
 *   both remove "it", the second removing the lock the first took meanwhile.
 *   So removing it is done under a lock of its own, named after the dead
 *   holder (`<file>.<holder>`): whoever holds that one removes the lock only
 *   if it still names the dead holder. That lock is taken the same way, so a
 *   process killed while holding it is handled the same way too.
 */
export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly holderPid: number,
    timeoutMs: number,
  ) {
    super(`${file} has been held by process ${holderPid} for over ${timeoutMs / 1000} s`);
  }
}

const POLL_MS = 10;

/** A held lock: its file and the text that names this holder. */
export interface HeldLock {
  file: string;
  tag: string;
}

/** Locks held by this process, so that its exit handler can finish the work of the holder it interrupts. */
const heldHere = new Map<string, HeldLock>();

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function create(file: string, tag: string): boolean {
  const own = `${file}.${tag}.new`;
  writeFileSync(own, tag);
  try {
    linkSync(own, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(own);
  }
}

const holderOf = (tag: string) => tag.slice(0, tag.lastIndexOf('-'));

/** The steps of taking a lock: each yield is a wait in milliseconds, the return the held lock. */
function* take(file: string, deadline: number, timeoutMs: number): Generator<number, HeldLock> {
  const tag = `${THIS_PROCESS}-${randomBytes(4).toString('hex')}`;
  for (;;) {
    if (create(file, tag)) return { file, tag };
    const holder = read(file);
    if (holder === null) continue; // released just now
    if (isRunning(holderOf(holder))) {
      if (Date.now() > deadline) throw new LockBusyError(file, Number(holder.split('-')[0]), timeoutMs);
      yield POLL_MS;
      continue;
    }
    const remover = yield* take(`${file}.${holder}`, deadline, timeoutMs);
    try {
      if (read(file) === holder) unlinkSync(file);
    } finally {
      release(remover);
    }
  }
}

/** Takes the lock, waiting up to `timeoutMs` for a running holder to release it. */
export async function lock(file: string, timeoutMs: number): Promise<HeldLock> {
  const steps = take(file, Date.now() + timeoutMs, timeoutMs);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      heldHere.set(step.value.tag, step.value);
      return step.value;
    }
    await new Promise((resolve) => setTimeout(resolve, step.value));
  }
}

/**
 * The same, blocking, for an exit handler, which cannot wait for a promise;
 * if this process holds the lock already (the exit interrupted its holder),
 * that hold is returned. Null if it cannot be had within `timeoutMs`.
 */
export function lockSync(file: string, timeoutMs: number): HeldLock | null {
  for (const held of heldHere.values()) if (held.file === file && read(file) === held.tag) return held;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const steps = take(file, Date.now() + timeoutMs, timeoutMs);
  try {
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      Atomics.wait(pause, 0, 0, step.value);
    }
  } catch (error) {
    if (error instanceof LockBusyError) return null;
    throw error;
  }
}

export function release(held: HeldLock): void {
  heldHere.delete(held.tag);
  if (read(held.file) === held.tag) unlinkSync(held.file);
}

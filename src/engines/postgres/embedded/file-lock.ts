import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, linkSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isRunning, THIS_PROCESS, type ProcessIdentity } from './process-identity.js';
import { runSteps, type Steps } from './steps.js';
import { EXIT, SparkifyError } from '../../../sparkify-error.js';

/**
 * A lock between processes, as a file: whoever creates it holds it, and
 * removes it to release it. Plain files, no native code:
 *
 * - The lock holds its holder's name: its identity (pid and start time) and a
 *   random tag, `PID-START-TAG`. It is written to a file of our own first,
 *   then hard-linked to the lock's name, which fails if the name exists: so it
 *   appears whole. Where the file system has no hard links (some network and
 *   FUSE mounts, some container overlays), the lock is created with
 *   open(O_EXCL) and the name written after: until then it is empty.
 * - A lock whose holder no longer runs (killed while holding it) is removed,
 *   by one process only: two that found the same dead holder could otherwise
 *   both remove "it", the second removing the lock the first took meanwhile.
 *   So removing it is done under a lock of its own, named after the dead
 *   holder (`<file>.<holder>`): whoever holds that one removes the lock only
 *   if it still names the dead holder. That lock is taken the same way, so a
 *   process killed while holding it is handled the same way too.
 * - A lock that names no holder (empty, cut short, or anything but a name
 *   this module writes) is one being written, or one whose writer died
 *   between creating and writing it, or a corrupt file. It counts as held by
 *   a running process for UNNAMED_GRACE_MS from when a taker first sees it so,
 *   and is then removed, under `<file>.unnamed`, if it is still the same file
 *   with the same text. Its text never becomes part of a file name.
 */
export class LockBusyError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'LockBusyError';
  constructor(
    readonly file: string,
    /** Null when the lock names no holder. */
    readonly holderPid: number | null,
    timeoutMs: number,
  ) {
    const seconds = timeoutMs / 1000;
    super(
      holderPid === null
        ? `${file} has been held for over ${seconds} s by a process that has not written its name in it`
        : `${file} has been held by process ${holderPid} for over ${seconds} s`,
    );
  }
}

const POLL_MS = 10;
/**
 * How long a lock that names no holder is taken to be in the hands of a
 * running process. Its writer writes the name right after creating the file,
 * with no wait in between: only a process stopped or starved of CPU for this
 * long could still write it. Measured by each taker from its own first sight
 * of the file (not from its mtime, which a network file system's clock sets).
 */
export const UNNAMED_GRACE_MS = 2000;

/** A holder's name, as this module writes it: `PID-START-TAG` (START is `?` without /proc). */
const HOLDER_NAME = /^\d+-(?:\d+|\?)-[0-9a-f]{8}$/;

const identityOf = (name: string): ProcessIdentity => name.slice(0, name.lastIndexOf('-'));

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
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The file opened with `flags`, or null if that fails with the one error the caller expects (no file, a file already there). */
function openUnless(file: string, flags: string, expected: 'ENOENT' | 'EEXIST'): number | null {
  try {
    return openSync(file, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === expected) return null;
    throw error;
  }
}

/** What a lock file says; `key` tells this file with this text from any other. Null if there is none. */
function look(file: string): { text: string; holder: string | null; key: string } | null {
  const fd = openUnless(file, 'r', 'ENOENT');
  if (fd === null) return null;
  try {
    const { dev, ino } = fstatSync(fd);
    const text = readFileSync(fd, 'utf8');
    return { text, holder: HOLDER_NAME.test(text) ? text : null, key: `${dev}:${ino}:${text}` };
  } finally {
    closeSync(fd);
  }
}

/** Directories where the file system refused a hard link: there locks are created with open(O_EXCL). */
const withoutLinks = new Set<string>();

/** For tests, which have no file system without hard links: create locks in `dir` as if it were one. */
export function assumeNoHardLinks(dir: string): void {
  withoutLinks.add(dir);
}

/** Creates the lock naming `tag`; false if it exists. */
function create(file: string, tag: string): boolean {
  const dir = path.dirname(file);
  if (withoutLinks.has(dir)) return createUnlinked(file, tag);
  const own = `${file}.${tag}.new`;
  writeFileSync(own, tag);
  try {
    linkSync(own, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    withoutLinks.add(dir);
    return createUnlinked(file, tag);
  } finally {
    unlinkSync(own);
  }
}

/**
 * Without hard links: creates the file exclusively, then writes the name. A
 * writer held up past the grace may find its file taken away as unnamed
 * meanwhile: so it holds the lock only if the name still leads to its file.
 */
function createUnlinked(file: string, tag: string): boolean {
  const fd = openUnless(file, 'wx', 'EEXIST');
  if (fd === null) return false;
  const ours = fstatSync(fd);
  const stillOurs = () => {
    const now = statSync(file, { throwIfNoEntry: false });
    return now !== undefined && now.dev === ours.dev && now.ino === ours.ino;
  };
  try {
    writeSync(fd, tag);
    return stillOurs();
  } catch (error) {
    if (stillOurs()) unlinkSync(file); // not left empty for others to wait on
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes what processes killed while taking the lock left: their own files
 * (`<file>.….<TAG>.new`, used by no one else, so removed without a lock) and
 * the locks they held to remove a dead holder's (taken over and released).
 */
function* sweep(file: string, deadline: number, timeoutMs: number): Steps<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const leftover = path.join(dir, name);
    if (name.endsWith('.new')) {
      const writer = name.slice(0, -'.new'.length).split('.').at(-1)!;
      if (HOLDER_NAME.test(writer) && !isRunning(identityOf(writer))) rmSync(leftover, { force: true });
      continue;
    }
    let holder: string | null | undefined;
    try {
      holder = look(leftover)?.holder;
    } catch {
      continue; // not a file of ours (a folder of that name)
    }
    if (holder && !isRunning(identityOf(holder))) release(yield* take(leftover, deadline, timeoutMs));
  }
}

/** The steps of taking a lock: each yield is a wait, the return the held lock. */
function* take(file: string, deadline: number, timeoutMs: number): Steps<HeldLock> {
  const tag = `${THIS_PROCESS}-${randomBytes(4).toString('hex')}`;
  let unnamed = null as { key: string; since: number } | null;
  for (;;) {
    if (create(file, tag)) return { file, tag };
    const seen = look(file);
    if (seen === null) continue; // released just now
    if (seen.holder === null) {
      if (unnamed?.key !== seen.key) unnamed = { key: seen.key, since: Date.now() };
      if (Date.now() - unnamed.since >= UNNAMED_GRACE_MS) {
        const remover = yield* take(`${file}.unnamed`, deadline, timeoutMs);
        try {
          if (look(file)?.key === seen.key) unlinkSync(file);
        } finally {
          release(remover);
        }
        continue;
      }
    } else if (!isRunning(identityOf(seen.holder))) {
      const remover = yield* take(`${file}.${seen.holder}`, deadline, timeoutMs);
      try {
        if (read(file) === seen.holder) unlinkSync(file);
      } finally {
        release(remover);
      }
      continue;
    }
    if (Date.now() > deadline) throw new LockBusyError(file, seen.holder === null ? null : Number(seen.holder.split('-')[0]), timeoutMs);
    yield POLL_MS;
  }
}

/** The steps of taking the lock, waiting up to `timeoutMs` for a running holder to release it (else LockBusyError). */
export function* taking(file: string, timeoutMs: number): Steps<HeldLock> {
  const deadline = Date.now() + timeoutMs;
  yield* sweep(file, deadline, timeoutMs);
  const held = yield* take(file, deadline, timeoutMs);
  heldHere.set(held.tag, held);
  return held;
}

/**
 * The same for an exit handler: if this process holds the lock already (the
 * exit interrupted its holder, which will never go on), that hold is returned.
 */
export function* takingAtExit(file: string, timeoutMs: number): Steps<HeldLock> {
  for (const held of heldHere.values()) if (held.file === file && read(file) === held.tag) return held;
  return yield* taking(file, timeoutMs);
}

/** Takes the lock, waiting up to `timeoutMs` for a running holder to release it. */
export function lock(file: string, timeoutMs: number): Promise<HeldLock> {
  return runSteps(taking(file, timeoutMs));
}

export function release(held: HeldLock): void {
  heldHere.delete(held.tag);
  if (read(held.file) === held.tag) unlinkSync(held.file);
}

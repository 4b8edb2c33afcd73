import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assumeNoHardLinks, lock, LockBusyError, release, taking, takingAtExit, UNNAMED_GRACE_MS } from '../src/engines/postgres/embedded/file-lock.js';
import { identify, THIS_PROCESS } from '../src/engines/postgres/embedded/process-identity.js';
import { runSteps, runStepsSync } from '../src/engines/postgres/embedded/steps.js';
import { until } from './support/poll.js';
import { startSleeper } from './support/processes.js';
import { tempDir } from './support/temp-dir.js';

const WORKER = fileURLToPath(new URL('./support/lock-worker.ts', import.meta.url));
type Worker = ChildProcess & { out: string; exited: Promise<number | null> };
const worker = (...args: string[]): Worker => {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] }) as Worker;
  child.out = '';
  child.stdout!.on('data', (d: Buffer) => (child.out += d.toString()));
  child.exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return child;
};

/** A running process that is not the holder named in a lock: its pid with another start time. */
const sleeper = startSleeper();

function lockFile(): string {
  return path.join(tempDir(), 'server.lock');
}

describe('the lock file', () => {
  it.each([
    ['', () => {}],
    [' (on a file system without hard links: created with O_EXCL, then written)', (dir: string) => assumeNoHardLinks(dir)],
  ])('is held by one at a time: a second taker waits until the first releases it%s', async (_, setUp) => {
    const file = lockFile();
    setUp(path.dirname(file));
    const first = await lock(file, 1000);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^${THIS_PROCESS}-[0-9a-f]{8}$`));
    const second = taking(file, 5000);
    expect(second.next().done).toBe(false); // it waits
    release(first);
    const held = await runSteps(second);
    expect(readFileSync(file, 'utf8')).toBe(held.tag);
    release(held);
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('gives up after its timeout, naming the process that holds it', async () => {
    const file = lockFile();
    writeFileSync(file, `${identify(sleeper.pid!)}-abcd1234`);
    const error = await lock(file, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as Error).message).toBe(`${file} has been held by process ${sleeper.pid} for over 0.3 s`);
    expect(() => runStepsSync(takingAtExit(file, 50))).toThrow(LockBusyError);
  });

  it.each([
    ['whose pid is gone', () => '999999-123'],
    ['whose pid now belongs to another process (started later)', () => `${sleeper.pid}-1`],
  ])('is taken over from a holder %s', async (_, holder) => {
    const file = lockFile();
    writeFileSync(file, `${holder()}-abcd1234`);
    const held = await lock(file, 1000);
    expect(readFileSync(file, 'utf8')).toBe(held.tag);
    release(held);
    expect(existsSync(file)).toBe(false);
  });

  it('names no holder while it is being written: a taker waits, and then waits for the holder it names', async () => {
    const file = lockFile();
    writeFileSync(file, ''); // created, not yet written
    const steps = taking(file, 500);
    expect(steps.next().done).toBe(false);
    writeFileSync(file, `${identify(sleeper.pid!)}-abcd1234`); // written, by a running holder
    const error = await runSteps(steps).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${file} has been held by process ${sleeper.pid} for over 0.5 s`);
  });

  it('gives up on a lock that names no holder, saying so', async () => {
    const file = lockFile();
    writeFileSync(file, '');
    const error = await lock(file, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as Error).message).toBe(`${file} has been held for over 0.3 s by a process that has not written its name in it`);
  });

  it.concurrent.each([
    ['empty (its writer died between creating and writing it)', () => ''],
    ['cut short (no tag)', () => identify(sleeper.pid!)!],
    ['not a lock at all', () => 'not a lock'],
    ['a path', () => 'a/b-1-abcd1234'],
  ])('that names no holder, %s, is taken over after the grace, not before, and is never part of a file name', async (_, text) => {
    const file = lockFile();
    writeFileSync(file, text());
    const start = Date.now();
    const steps = taking(file, 60_000);
    expect(steps.next().done).toBe(false);
    const held = await runSteps(steps);
    expect(Date.now() - start).toBeGreaterThanOrEqual(UNNAMED_GRACE_MS);
    expect(readFileSync(file, 'utf8')).toBe(held.tag);
    release(held);
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('removes what killed takers left: their own files and the locks they held to remove a dead holder', async () => {
    const file = lockFile();
    const leftovers = [
      `${file}.999999-123-abcd1234.new`, // killed between writing its file and linking it
      `${file}.999999-123-abcd1234.999998-456-ef012345.new`, // the same, taking a remover lock
      `${file}.999997-1-00000000`, // killed while holding the lock to remove a dead holder's
    ];
    for (const leftover of leftovers) writeFileSync(leftover, '999996-2-11111111');
    const running = `${file}.${identify(sleeper.pid!)}-abcd1234.new`; // a taker at work: kept
    writeFileSync(running, '');
    release(await lock(file, 1000));
    expect(readdirSync(path.dirname(file))).toEqual([path.basename(running)]);
  });

  // take() runs without a pause from reading the dead holder to removing its
  // lock, so takers in one process never interleave there: the test between
  // processes below is the one where they can.
  it('from a dead holder, also when the one removing it was killed too: takers in one process get it in turn, and nothing is left', async () => {
    const file = lockFile();
    const dead = '999999-123-abcd1234';
    writeFileSync(file, dead);
    // A process killed while removing the dead holder's lock left its own lock on that.
    writeFileSync(`${file}.${dead}`, '999998-456-ef012345');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const held = await lock(file, 5000);
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        release(held);
      }),
    );
    expect(most).toBe(1);
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it.each([['links'], ['no-links']])(
    'between processes (%s): 4 processes adding 25 each under it count to 100, also after a holder is killed (SIGKILL)',
    async (mode) => {
      const file = lockFile();
      const counter = path.join(path.dirname(file), 'counter');
      writeFileSync(counter, '0');
      const holder = worker(file, counter, 'hold', mode);
      await until(() => holder.out === 'held\n', 'the holder to take the lock');
      const workers = [1, 2, 3, 4].map(() => worker(file, counter, '25', mode));
      await until(() => workers.every((w) => w.out.includes('\n')), 'every worker to try the lock once');
      expect(workers.map((w) => w.out)).toEqual(['waiting\n', 'waiting\n', 'waiting\n', 'waiting\n']);
      expect(readFileSync(counter, 'utf8')).toBe('0');
      holder.kill('SIGKILL');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
      expect(readFileSync(counter, 'utf8')).toBe('100');
      expect(readdirSync(path.dirname(file))).toEqual(['counter']);
    },
  );

  it('at exit (blocking) takes a free lock, and returns the one this process holds', async () => {
    const file = lockFile();
    const held = runStepsSync(takingAtExit(file, 100));
    expect(readFileSync(file, 'utf8')).toBe(held.tag);
    release(held);
    const asyncHeld = await lock(file, 100);
    expect(runStepsSync(takingAtExit(file, 100))).toBe(asyncHeld);
    release(asyncHeld);
    expect(existsSync(file)).toBe(false);
  });
});

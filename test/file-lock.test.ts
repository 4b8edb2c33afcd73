import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lock, LockBusyError, lockSync, release } from '../src/warehouse/file-lock.js';
import { identify, THIS_PROCESS } from '../src/warehouse/process-identity.js';
import { tempDir } from './support/temp-dir.js';

const WORKER = fileURLToPath(new URL('./support/lock-worker.ts', import.meta.url));
const worker = (...args: string[]): ChildProcess & { exited: Promise<number | null> } => {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return Object.assign(child, { exited: new Promise<number | null>((resolve) => child.on('close', resolve)) });
};

/** A running process that is not the holder named in a lock: its pid with another start time. */
const sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
afterAll(() => void sleeper.kill());

function lockFile(): string {
  return path.join(tempDir(), 'server.lock');
}

describe('the lock file', () => {
  it('is held by one at a time: a second taker waits until the first releases it', async () => {
    const file = lockFile();
    const first = await lock(file, 1000);
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^${THIS_PROCESS}-[0-9a-f]{8}$`));
    let second: Awaited<ReturnType<typeof lock>> | null = null;
    const taking = lock(file, 5000).then((held) => (second = held));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second).toBeNull();
    release(first);
    await taking;
    expect(readFileSync(file, 'utf8')).toBe(second!.tag);
    release(second!);
    expect(readdirSync(path.dirname(file))).toEqual([]);
  });

  it('gives up after its timeout, naming the process that holds it', async () => {
    const file = lockFile();
    writeFileSync(file, `${identify(sleeper.pid!)}-abcd1234`);
    const error = await lock(file, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockBusyError);
    expect((error as Error).message).toBe(`${file} has been held by process ${sleeper.pid} for over 0.3 s`);
    expect(lockSync(file, 50)).toBeNull();
  });

  it.each([
    ['whose pid is gone', () => '999999-123'],
    ['whose pid now belongs to another process (started later)', () => `${sleeper.pid}-1`],
    ['that is not a lock at all', () => ''],
  ])('is taken over from a holder %s', async (_, holder) => {
    const file = lockFile();
    writeFileSync(file, holder() ? `${holder()}-abcd1234` : '');
    const held = await lock(file, 1000);
    expect(readFileSync(file, 'utf8')).toBe(held.tag);
    release(held);
    expect(existsSync(file)).toBe(false);
  });

  it('from a dead holder, by many at once, never to two at a time (also when the one removing it was killed too)', async () => {
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

  it('between processes: 4 processes adding 25 each under it count to 100, also after a holder is killed (SIGKILL)', async () => {
    const file = lockFile();
    const counter = path.join(path.dirname(file), 'counter');
    writeFileSync(counter, '0');
    const holder = worker(file, counter, 'hold');
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    const workers = [1, 2, 3, 4].map(() => worker(file, counter, '25'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readFileSync(counter, 'utf8')).toBe('0'); // all wait for the holder
    holder.kill('SIGKILL');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
    expect(readFileSync(counter, 'utf8')).toBe('100');
    expect(readdirSync(path.dirname(file))).toEqual(['counter']);
  });

  it('lockSync (for an exit handler) takes a free lock, and returns the one this process holds', async () => {
    const file = lockFile();
    const held = lockSync(file, 100)!;
    expect(readFileSync(file, 'utf8')).toBe(held.tag);
    release(held);
    const asyncHeld = await lock(file, 100);
    expect(lockSync(file, 100)).toBe(asyncHeld);
    release(asyncHeld);
    expect(existsSync(file)).toBe(false);
  });
});

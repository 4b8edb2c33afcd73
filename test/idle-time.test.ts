import { describe, expect, it } from 'vitest';
import { IdleTime } from '../src/etl/idle-time.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
};

describe('IdleTime', () => {
  it('gives turns only while the lender waits, a slice at a time', async () => {
    // Slices of 50 ms, so that a slow moment of a busy machine does not end one early.
    const idle = new IdleTime(50);
    const waiting = idle.turn()!;
    expect(waiting).toBeInstanceOf(Promise);
    expect(await settled(waiting)).toBe(false);

    let endWait!: () => void;
    const lent = idle.during(new Promise<void>((resolve) => (endWait = resolve)));
    // Within the slice the borrower goes on at once; past it, after a turn of the event loop.
    expect(idle.turn()).toBeNull();
    expect(await settled(waiting)).toBe(true);
    busy(60);
    const next = idle.turn()!;
    expect(next).toBeInstanceOf(Promise);
    expect(await settled(next)).toBe(true);

    endWait();
    await lent;
    expect(await settled(idle.turn()!)).toBe(false);
  });

  it('passes on what the lender waited for, and its failure', async () => {
    const idle = new IdleTime();
    expect(await idle.during(Promise.resolve(42))).toBe(42);
    await expect(idle.during(Promise.reject(new Error('server gone')))).rejects.toThrow('server gone');
    expect(await settled(idle.turn()!)).toBe(false);
  });
});

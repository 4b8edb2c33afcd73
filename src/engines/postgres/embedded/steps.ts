/**
 * Work that waits, written once as a generator of steps and run either way:
 * awaiting (the normal way) or blocking (in an exit handler, which cannot
 * wait for a promise). Each yield is a pause: a number of milliseconds; or
 * an event to wait for, `until`, which the awaiting runner waits for (at most
 * `awaitMs`), and the blocking runner, which gets no events, cannot: it
 * sleeps `ms` instead, and the steps look again.
 */
export type Pause = number | { until: Promise<unknown>; awaitMs: number; ms: number };

export type Steps<T> = Generator<Pause, T>;

export async function runSteps<T>(steps: Steps<T>): Promise<T> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    const pause = step.value;
    let timer: NodeJS.Timeout | undefined;
    const slept = new Promise((resolve) => (timer = setTimeout(resolve, typeof pause === 'number' ? pause : pause.awaitMs)));
    // The timer is cleared when `until` comes first, so that it does not keep the process up.
    await (typeof pause === 'number' ? slept : Promise.race([slept, pause.until])).finally(() => clearTimeout(timer));
  }
}

export function runStepsSync<T>(steps: Steps<T>): T {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    Atomics.wait(pause, 0, 0, typeof step.value === 'number' ? step.value : step.value.ms);
  }
}

/**
 * Work that waits, written once as a generator of steps and run either way:
 * awaiting (the normal way) or blocking (in an exit handler, which cannot
 * wait for a promise). Each yield is a pause, in milliseconds.
 */
export type Pause = number;

export type Steps<T> = Generator<Pause, T>;

export async function runSteps<T>(steps: Steps<T>): Promise<T> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await new Promise((resolve) => setTimeout(resolve, step.value));
  }
}

export function runStepsSync<T>(steps: Steps<T>): T {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    Atomics.wait(pause, 0, 0, step.value);
  }
}

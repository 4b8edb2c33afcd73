import { EXIT, SparkifyError } from '../sparkify-error.js';

/** A second run on a warehouse where one is in progress: it stops at once, naming the holder. */
export class RunLockedError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'RunLockedError';
  constructor(who: string) {
    super(`another run is in progress on this warehouse: ${who}`, 'wait for it to finish, or cancel it there');
  }
}

export function locked(who: string): RunLockedError {
  return new RunLockedError(who);
}

/** Given when another run holds the lock: for the statements sent only then. */
export const WHEN_HELD = 'another run holds the lock (this one then stops, naming it)';

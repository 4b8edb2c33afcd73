/** A second run on a warehouse where one is in progress: it stops at once, naming the holder. */
export class RunLockedError extends Error {
  readonly exitCode = 1;
  override name = 'RunLockedError';
}

export function locked(who: string): RunLockedError {
  return new RunLockedError(`another run is in progress on this warehouse: ${who}; wait for it to finish, or cancel it there`);
}

/** Given when another run holds the lock: for the statements sent only then. */
export const WHEN_HELD = 'another run holds the lock (this one then stops, naming it)';

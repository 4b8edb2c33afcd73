/**
 * The base of every error sparkify throws on purpose, and the exit codes
 * they map to. It imports nothing, so that every layer (config, warehouse,
 * sql, etl, commands, the app) may use it without importing from above.
 */

/** How the command line ends: ok, failed, wrong arguments or settings, interrupted (128 + SIGINT). */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An expected failure: its message is the one line the command line prints
 * (no stack), its exit code says what kind it is, and its hint, when it has
 * one, what to do about it. The message ends with the hint: `problem; hint`.
 */
export abstract class SparkifyError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(problem: string, hint?: string) {
    super(hint === undefined ? problem : `${problem}; ${hint}`);
    this.hint = hint;
  }
}

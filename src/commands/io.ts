/** What a command may touch of the process: streams, terminal-ness, environment. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Fires on Ctrl-C or SIGTERM: the running statement is cancelled and rolled back. */
  signal: AbortSignal;
}

/** Wrong arguments: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  override name = 'UsageError';
}

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

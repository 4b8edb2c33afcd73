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

import { EXIT, SparkifyError } from '../sparkify-error.js';

/** The output stream was closed under us (its reader went away, or it failed): what it said, as the error. */
export class OutputClosed extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'OutputClosed';
  constructor(readonly reason: unknown) {
    super(`cannot write the output: ${(reason as Error | null)?.message ?? String(reason)}`);
  }

  /** The reader went away (`| head`): the run stops there, and that is no failure. */
  get readerLeft(): boolean {
    return (this.reason as { code?: string } | null)?.code === 'EPIPE';
  }
}

/**
 * stdout, written with its backpressure respected: a write waits for the
 * stream to drain, so that rows are fetched no faster than they go out. When
 * the stream fails (a closed pipe), `closed` fires, which cancels the
 * statement, and every later write fails with OutputClosed.
 */
export class Output {
  private readonly controller = new AbortController();
  private failure: OutputClosed | null = null;
  readonly closed: AbortSignal = this.controller.signal;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (error) => {
      this.failure ??= new OutputClosed(error);
      this.controller.abort();
    });
  }

  /** Why the output closed, or null while it is open. */
  get closedBy(): OutputClosed | null {
    return this.failure;
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (text === '' || this.stream.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        this.stream.off('drain', done);
        this.closed.removeEventListener('abort', done);
        if (this.failure) reject(this.failure);
        else resolve();
      };
      this.stream.on('drain', done);
      this.closed.addEventListener('abort', done);
    });
  }
}

import type { IdleTime } from './idle-time.js';

/** COPY text made ahead of its COPY is kept up to this size; past it, the rest waits for the COPY. */
export const AHEAD_BYTES = 16 << 20;

const NEVER = new Promise<void>(() => {});

export interface AheadOptions {
  /** The time another COPY on the connection lends. */
  idle: IdleTime;
  /** Resolves when this COPY may start. */
  started: Promise<void>;
  /** How much COPY text to keep at most; AHEAD_BYTES by default. */
  bytes?: number;
}

/**
 * The rows of a COPY made before it may start (another COPY still runs on
 * the connection): made only in lent time, and kept until the start.
 */
export class RowsAhead {
  started = false;
  private readonly made: Buffer[] = [];
  private bytes = 0;
  /** Waits end when the COPY may start or the run is cancelled. */
  private readonly cancelled: Promise<void>;

  constructor(
    private readonly options: AheadOptions,
    private readonly signal?: AbortSignal,
  ) {
    void options.started.then(() => (this.started = true));
    this.cancelled = signal ? new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) : NEVER;
  }

  /** Keeps a copy of `chunk` (whose buffer may then be used again); true once there is enough. */
  keep(chunk: Buffer): boolean {
    this.made.push(Buffer.from(chunk));
    this.bytes += chunk.length;
    return this.bytes >= (this.options.bytes ?? AHEAD_BYTES);
  }

  /** Before a piece of work: goes on at once in lent time, else waits for more of it or for the start. */
  async turn(): Promise<void> {
    const turn = this.options.idle.turn();
    if (turn) await Promise.race([turn, this.options.started, this.cancelled]);
    this.signal?.throwIfAborted();
  }

  /** Waits for the start, then hands over the rows kept. */
  async start(): Promise<Buffer[]> {
    if (!this.started) await Promise.race([this.options.started, this.cancelled]);
    this.signal?.throwIfAborted();
    return this.made.splice(0);
  }
}

/** How long work in lent time runs before letting the event loop see whether the lender may go on. */
const SLICE_MS = 1;

/**
 * The time one COPY waits for the server (its stream full), lent to work for
 * a later stage. On two cores the server copies on one and Node encodes on
 * the other; once Node is ahead, it waits. Work done in those waits (the next
 * stage's rows) costs the running stage nothing, where a third busy thread
 * would compete with both.
 *
 * The lender calls during() around each wait; the borrower calls turn()
 * between small pieces of work, and goes on at once while it returns null.
 */
export class IdleTime {
  constructor(private readonly sliceMs = SLICE_MS) {}

  private lending = false;
  private sliceStarted = 0;
  private wake: (() => void) | null = null;

  /** Lends the time until `wait` settles. */
  async during<T>(wait: Promise<T>): Promise<T> {
    this.lending = true;
    this.sliceStarted = performance.now();
    const wake = this.wake;
    this.wake = null;
    wake?.();
    try {
      return await wait;
    } finally {
      this.lending = false;
    }
  }

  /**
   * Null while a slice of lent time lasts; otherwise the next slice, after a
   * turn of the event loop (in which the lender's wait may end).
   */
  turn(): Promise<void> | null {
    if (this.lending && performance.now() - this.sliceStarted < this.sliceMs) return null;
    return new Promise((resolve) => {
      setImmediate(() => {
        if (this.lending) {
          this.sliceStarted = performance.now();
          resolve();
        } else {
          this.wake = resolve;
        }
      });
    });
  }
}

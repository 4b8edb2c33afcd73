/** Buffers given back and kept for reuse: more than the COPY stream holds at once. */
const SPARE_BUFFERS = 16;

/**
 * A growing byte buffer of COPY text. The pipeline hands out what has been
 * written with take() and goes on in another buffer, since the COPY stream
 * keeps the written bytes until the socket has sent them; once it has, the
 * pipeline gives the buffer back with recycle(). A new megabyte per flush
 * was 600 MB of garbage at 1M events, freed late (V8 collects a Buffer's
 * memory with its small heap object) and kept by the allocator: RSS grew
 * with the input.
 */
export class CopyBuffer {
  buf: Buffer;
  len = 0;
  private readonly spare: Buffer[] = [];

  constructor(private readonly initialSize = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Room for at least `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  /** Copies src[start, end); the caller has ensured room. */
  bytes(src: Buffer, start: number, end: number): void {
    const n = end - start;
    // Below a few dozen bytes a loop beats the native call's fixed cost.
    if (n < 24) {
      const out = this.buf;
      let o = this.len;
      for (let i = start; i < end; i++) out[o++] = src[i]!;
      this.len = o;
    } else {
      src.copy(this.buf, this.len, start, end);
      this.len += n;
    }
  }

  string(text: string): void {
    this.ensure(text.length * 3);
    this.len += this.buf.write(text, this.len, 'utf8');
  }

  /** The bytes written so far; writing goes on in a spare buffer or a new one. */
  take(): Buffer {
    const taken = this.buf.subarray(0, this.len);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(Math.max(this.initialSize, this.len));
    this.len = 0;
    return taken;
  }

  /** A buffer take() returned, no longer used by anyone: its memory is written again. */
  recycle(taken: Buffer): void {
    const whole = Buffer.from(taken.buffer, taken.byteOffset, taken.buffer.byteLength - taken.byteOffset);
    if (whole.length >= this.initialSize && this.spare.length < SPARE_BUFFERS) this.spare.push(whole);
  }
}

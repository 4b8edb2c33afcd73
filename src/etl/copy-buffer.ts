/**
 * A growing byte buffer of COPY text. The pipeline hands out what has been
 * written with take() and starts a fresh buffer, since the COPY stream keeps
 * the written bytes until the socket has sent them.
 */
export class CopyBuffer {
  buf: Buffer;
  len = 0;

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

  /** The bytes written so far; the buffer starts over empty. */
  take(): Buffer {
    const taken = this.buf.subarray(0, this.len);
    this.buf = Buffer.allocUnsafe(Math.max(this.initialSize, this.len));
    this.len = 0;
    return taken;
  }
}

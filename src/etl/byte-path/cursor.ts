import type { CopyBuffer } from '../copy-buffer.js';
import { BACKSLASH, CR, NEWLINE, SPACE, TAB, UPPER_N } from '../char-codes.js';

/**
 * Why a reader of the byte path did not read what it was given:
 * - 'incomplete': it continues past the end of the chunk;
 * - 'needs general parser': the object is not plain; the general path reads
 *   it (and the rest of the file) and words any error;
 * - 'needs general encoder': this value, not its whole object, goes to the
 *   column's general encoder;
 * - 'other layout': the object is not in the layout tried; it is read again in another.
 */
export type Stop = 'incomplete' | 'needs general parser' | 'needs general encoder' | 'other layout';

/**
 * Where reading goes on (just past what was read), or why it stopped. A
 * string, not a negative number, so that a stop can never be taken for a
 * position: the type checker asks for `typeof step === 'number'` first, which
 * is also the cheapest test on the hot path.
 */
export type Step = number | Stop;

const NO_BYTES = Buffer.alloc(0);

/**
 * The chunk the byte path is reading and the COPY text it is writing, shared
 * by the readers of keys, text and numbers. Both are also seen as
 * little-endian 32-bit words, to read and write four bytes at a time.
 */
export class ByteCursor {
  buf: Buffer = NO_BYTES;
  input: DataView = new DataView(new ArrayBuffer(0));
  end = 0;
  /** The line the next byte is on. */
  line = 1;
  private output: DataView = new DataView(new ArrayBuffer(0));
  private outputOf: Buffer | null = null;

  constructor(readonly out: CopyBuffer) {}

  read(buf: Buffer): void {
    this.buf = buf;
    this.end = buf.length;
    this.input = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  /** The COPY buffer as a DataView; the buffer changes when it grows or is taken. */
  outputView(): DataView {
    const buf = this.out.buf;
    if (this.outputOf !== buf) {
      this.output = new DataView(buf.buffer, buf.byteOffset, buf.length);
      this.outputOf = buf;
    }
    return this.output;
  }

  writeNull(): void {
    const out = this.out;
    out.buf[out.len++] = BACKSLASH;
    out.buf[out.len++] = UPPER_N;
  }

  /**
   * Copies buf[from, to) to the COPY text four bytes at a time. It may write
   * up to three bytes past them, which the next field overwrites: the room
   * ensured for a row is its object's length and more.
   */
  copy(from: number, to: number): void {
    const out = this.out;
    const n = to - from;
    if (from + n + 3 >= this.end) {
      out.bytes(this.buf, from, to);
      return;
    }
    const input = this.input;
    const output = this.outputView();
    const o = out.len;
    for (let k = 0; k < n; k += 4) output.setInt32(o + k, input.getInt32(from + k, true), true);
    out.len = o + n;
  }

  /** Just past the whitespace from p, counting the lines. */
  skipWhitespace(p: number): number {
    const buf = this.buf;
    const end = this.end;
    for (; p < end; p++) {
      const c = buf[p];
      if (c === NEWLINE) this.line++;
      else if (c !== SPACE && c !== CR && c !== TAB) break;
    }
    return p;
  }
}

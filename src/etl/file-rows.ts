import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { CopyBuffer } from './copy-buffer.js';
import { FieldError } from './copy-text.js';
import { FastRowEncoder } from './fast-row-encoder.js';
import { InputError } from './input-error.js';
import { NEWLINE } from './char-codes.js';
import { FILE_START, JsonObjectSplitter, JsonSyntaxError, type ReadSoFar } from './json-objects.js';
import type { RowMapping } from './row-encoders.js';

/** A row left out of a load (with --max-errors): where it was, why, and its text. */
export interface Rejection {
  file: string;
  line: number;
  reason: string;
  raw: string;
}

/**
 * The rows of one file, fed in chunks, written to `out` as COPY text. The
 * byte path (FastRowEncoder) takes the file while its objects are plain; from
 * the first object it does not take, the general path (JsonObjectSplitter,
 * JSON.parse and the row encoders) reads the rest of the file and words any error.
 * Errors are InputErrors naming the file and line; with `reject`, a bad
 * object is reported there and skipped instead (a file that cannot be read
 * as UTF-8 still fails the load).
 */
export class FileRows {
  rows = 0;
  private fast: FastRowEncoder | null;
  private general: { splitter: JsonObjectSplitter; decoder: TextDecoder } | null = null;
  /** The start of an object that continues in the next chunk. */
  private carry: Buffer | null = null;
  /** The file's first bytes while fewer than a byte order mark's three have come. */
  private head: Buffer | null = EMPTY;
  /** The line of the object the general path is on. */
  private line = 1;
  /** The column (in characters) of the first byte the byte path has yet to read: the carry's, or the next chunk's. */
  private column = 1;
  /** The file's objects left out (with `reject`). */
  rejected = 0;

  /** A general-path row's end: its file id's field and the newline, or only the newline. */
  private readonly rowEnd: string;

  /**
   * `encoder`: one made for `mapping.fast` and `out`, reused across the files of a load.
   * `fileId`: written as each row's last field (the staging table's file_id), where the load records files.
   */
  constructor(
    private readonly file: string,
    private readonly mapping: RowMapping,
    private readonly out: CopyBuffer,
    encoder?: FastRowEncoder,
    private reject?: (rejection: Rejection) => void,
    fileId?: number,
  ) {
    this.rowEnd = fileId === undefined ? '\n' : `\t${fileId}\n`;
    this.fast = encoder ?? (mapping.fast ? new FastRowEncoder(mapping.fast, out) : null);
    this.fast?.startFile(fileId ?? null);
    if (reject) {
      this.reject = (rejection) => {
        this.rejected++;
        reject(rejection);
      };
    }
  }

  push(chunk: Buffer): void {
    this.take(chunk, true);
  }

  /**
   * The file is read; `last` is its last chunk, if not pushed (the whole file
   * when it is read at once: where a next chunk would start is then not worked out).
   */
  end(last?: Buffer): void {
    if (last) this.take(last, false);
    if (this.head && this.head.length > 0) {
      // Only the start of a byte order mark: that is the file.
      const head = this.head;
      this.head = null;
      this.take(head, false);
    }
    try {
      if (this.fast && this.carry) this.pushFast(EMPTY, true, false);
      if (!this.general && !this.fast) this.pushGeneral(EMPTY);
      if (this.general) {
        this.general.splitter.push(this.general.decoder.decode());
        this.general.splitter.end();
      }
      // A file with nothing in it is more likely a failed copy than a day without events.
      if (this.rows === 0 && this.rejected === 0) {
        const reason = 'holds no JSON object (the file is empty)';
        if (!this.reject) throw new InputError(this.file, null, reason);
        this.reject({ file: this.file, line: 1, reason, raw: '' });
      }
    } catch (error) {
      throw this.asInputError(error);
    }
  }

  /** `more`: another chunk may follow. */
  private take(chunk: Buffer, more: boolean): void {
    if (this.head) {
      // The file may start with a byte order mark, which is dropped (even when cut across chunks).
      // Compared byte by byte: a subarray and a native compare per file cost more than
      // the rest of reading a small song file.
      const head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (head.length < 3 && matchesBom(head, head.length)) {
        this.head = Buffer.from(head); // a copy: the caller may reuse the chunk
        return;
      }
      this.head = null;
      chunk = head.length >= 3 && matchesBom(head, 3) ? head.subarray(3) : head;
    }
    try {
      if (this.fast) this.pushFast(chunk, false, more);
      else this.pushGeneral(chunk);
    } catch (error) {
      throw this.asInputError(error);
    }
  }

  private pushFast(chunk: Buffer, final: boolean, more: boolean): void {
    const fast = this.fast!;
    const data = this.carry ? joined(this.carry, chunk) : chunk;
    this.carry = null;
    // Everything up to the last whole character must be UTF-8 now: the
    // byte path copies it into the COPY text unchecked.
    const whole = final ? data.length : wholeCharacters(data);
    if (!isUtf8(whole === data.length ? data : data.subarray(0, whole))) throw new InputError(this.file, null, 'is not valid UTF-8');
    const before = fast.rows;
    const stop = fast.encode(data, 0, final);
    this.rows += fast.rows - before;
    if (stop.needsGeneralParser) {
      this.fast = null;
      this.line = stop.line;
      const { lastEndLine, sharedLines, braceLinesInside } = fast;
      this.pushGeneral(data.subarray(stop.at), { line: stop.line, column: columnAt(data, stop.at, this.column), lastEndLine, sharedLines, braceLinesInside });
      return;
    }
    if (stop.at < data.length) this.carry = Buffer.from(data.subarray(stop.at));
    if (more || stop.at < data.length) this.column = columnAt(data, stop.at, this.column);
  }

  /** `from`: where the byte path stopped, if it read the file so far. */
  private pushGeneral(chunk: Buffer, from: ReadSoFar = FILE_START): void {
    if (!this.general) {
      const reject = this.reject;
      const file = this.file;
      const splitter = new JsonObjectSplitter(
        (value, line) => {
          this.line = line;
          try {
            if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FieldError('expected a JSON object');
            const line = this.mapping.encode(value as Record<string, unknown>);
            this.out.string(this.rowEnd === '\n' ? line : line.slice(0, -1) + this.rowEnd);
            this.rows++;
          } catch (error) {
            if (!reject || !(error instanceof FieldError)) throw error;
            reject({ file, line, reason: error.message, raw: JSON.stringify(value) });
          }
        },
        reject && ((line, reason, raw) => reject({ file, line, reason, raw })),
        from,
      );
      // fatal: invalid UTF-8 is an error, not silently replaced.
      this.general = { splitter, decoder: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) };
    }
    this.general.splitter.push(this.general.decoder.decode(chunk, { stream: true }));
  }

  private asInputError(error: unknown): unknown {
    if (error instanceof JsonSyntaxError) return new InputError(this.file, error.line, error.reason);
    if (error instanceof FieldError) return new InputError(this.file, this.line, error.message);
    if (error instanceof TypeError && (error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      return new InputError(this.file, null, 'is not valid UTF-8');
    }
    return error;
  }
}

const BOM = [0xef, 0xbb, 0xbf];
/** Never written to: one for every file, not a new one each (100k song files). */
const EMPTY = Buffer.alloc(0);

/** Whether the first `n` bytes (3 at most) are those of a UTF-8 byte order mark. */
function matchesBom(bytes: Buffer, n: number): boolean {
  for (let i = 0; i < n; i++) if (bytes[i] !== BOM[i]) return false;
  return true;
}

let joinBuffer = Buffer.alloc(0);

/**
 * The rest of an object and the next chunk, in one buffer used again for each
 * join (valid until the next): Buffer.concat took a new megabyte per chunk,
 * memory glibc keeps. Nothing of it is kept past pushFast (the carry is copied).
 */
function joined(carry: Buffer, chunk: Buffer): Buffer {
  const n = carry.length + chunk.length;
  if (joinBuffer.length < n) joinBuffer = Buffer.allocUnsafe(Math.max(n, 2 << 20));
  carry.copy(joinBuffer, 0);
  chunk.copy(joinBuffer, carry.length);
  return joinBuffer.subarray(0, n);
}

/** The column (in characters) of data[at], given that of data[0]. */
function columnAt(data: Buffer, at: number, columnOfFirst: number): number {
  const newline = at > 0 ? data.lastIndexOf(NEWLINE, at - 1) : -1;
  return newline === -1 ? columnOfFirst + characters(data, 0, at) : 1 + characters(data, newline + 1, at);
}

/** The UTF-8 characters in data[from, to): the bytes that are not a character's continuation. */
function characters(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((data[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** The length of `data` without a character cut off at its end. */
function wholeCharacters(data: Buffer): number {
  const n = data.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = data[n - back]!;
    if (b < 0x80) return n; // ASCII: nothing is cut
    if (b >= 0xc0) {
      // A lead byte: is its sequence complete?
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return size > back ? n - back : n;
    }
  }
  return n;
}

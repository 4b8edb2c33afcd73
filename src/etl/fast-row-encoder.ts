import type { CopyBuffer } from './copy-buffer.js';
import { CLOSE_BRACE, COLON, COMMA, LOWER_L, LOWER_N, LOWER_U, MINUS, NEWLINE, NINE, OPEN_BRACE, QUOTE, SPACE, TAB, ZERO } from './char-codes.js';
import type { FastColumn } from './byte-path/column.js';
import { ByteCursor, type Step } from './byte-path/cursor.js';
import { readGeneralValue } from './byte-path/general-value.js';
import { columnOf, keyBytes, layoutPrefixes, prefixAt, type Prefix } from './byte-path/keys.js';
import { readIntegerText, readNumber } from './byte-path/numbers.js';
import { readText } from './byte-path/text.js';

/**
 * Turns JSON objects into COPY text byte for byte, without JSON.parse, without
 * JS strings and without re-encoding: a string value that needs no escaping is
 * copied as is, a number is copied as its digits. At 1M events this is what
 * keeps Node ahead of the server's COPY.
 *
 * It takes only the plain shape of the data (flat objects, the expected keys
 * each once, strings, numbers and nulls that map directly onto their column)
 * and gives up on anything else, at the object it meets it: the caller then
 * hands the rest of the file to the general path (JSON.parse and the row
 * encoders), which defines the semantics and words every error. Values of
 * other kinds (true, nested objects, numbers as strings, \uD800 surrogates)
 * are parsed on their own and passed to the column's general encoder.
 *
 * Its parts, in byte-path/: finding the keys (keys.ts), text (text.ts),
 * numbers (numbers.ts), other values (general-value.ts), the tests on four
 * bytes at once they share (words.ts), the chunk and the output they read and
 * write (cursor.ts), and what they know of a column (column.ts).
 */

/**
 * Where encode() stopped: at the chunk's end, or before an object that
 * continues past it; or at an object the byte path does not take, on `line`:
 * the general parser reads it and the rest of the file.
 */
export type Encoded = { at: number; needsGeneralParser: false } | { at: number; needsGeneralParser: true; line: number };

/** Room asked for beyond a row's object's length: the words written past a field's end, and margin. */
const ROW_SLACK = 64;

export class FastRowEncoder {
  rows = 0;
  /** What the objects so far showed, for the general path (see ReadSoFar). */
  lastEndLine = 0;
  sharedLines = false;
  braceLinesInside = false;
  private readonly cursor: ByteCursor;
  private readonly keys: Buffer[];
  /** The field prefixes of the two usual layouts (see layoutPrefixes). */
  private readonly layouts: Prefix[][];
  /** The value of `seen` in anyLayoutObject once every column has been: a bit per column. */
  private readonly all: number;
  /** Where each column's field was written, in a row whose keys came in another order. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** What ends each row of the file after its last field's tab: its file id's digits and the newline (rowEndLength bytes); none: the tab becomes the newline. */
  private readonly rowEnd = Buffer.alloc(16);
  private rowEndLength = 0;

  constructor(
    private readonly columns: readonly FastColumn[],
    private readonly out: CopyBuffer,
  ) {
    // anyLayoutObject keeps a bit per column seen in a 32-bit number.
    if (columns.length > 30) throw new Error('the byte path handles at most 30 columns');
    this.cursor = new ByteCursor(out);
    this.keys = keyBytes(columns);
    this.layouts = layoutPrefixes(columns);
    this.all = 2 ** columns.length - 1;
    this.starts = new Int32Array(columns.length);
    this.ends = new Int32Array(columns.length);
  }

  /** `fileId`: written after each row's last field (see FileRows). */
  startFile(fileId: number | null = null): void {
    this.rowEndLength = fileId === null ? 0 : this.rowEnd.write(`${fileId}\n`, 'latin1');
    this.cursor.line = 1;
    this.lastEndLine = 0;
    this.sharedLines = this.braceLinesInside = false;
  }

  /**
   * Writes the rows of the complete objects in buf[pos…] and says where it
   * stopped: at buf.length; at the start of an object that continues past
   * the end (unless `final`); or at an object it does not take.
   */
  encode(buf: Buffer, pos: number, final: boolean): Encoded {
    const cursor = this.cursor;
    cursor.read(buf);
    const end = buf.length;
    for (;;) {
      pos = cursor.skipWhitespace(pos);
      if (pos >= end) return { at: end, needsGeneralParser: false };
      const line = cursor.line;
      const rowStart = this.out.len;
      const next = this.object(pos);
      if (typeof next === 'number') {
        this.rows++;
        if (line === this.lastEndLine) this.sharedLines = true;
        if (cursor.line !== line && buf.subarray(pos, next).includes('\n{')) this.braceLinesInside = true;
        this.lastEndLine = cursor.line;
        pos = next;
        continue;
      }
      cursor.line = line;
      this.out.len = rowStart;
      if (next === 'incomplete' && !final) return { at: pos, needsGeneralParser: false };
      return { at: pos, needsGeneralParser: true, line };
    }
  }

  private object(p: number): Step {
    if (this.cursor.buf[p] !== OPEN_BRACE) return 'needs general parser';
    for (const layout of this.layouts) {
      const next = this.usualLayoutObject(p, layout);
      if (next !== 'other layout') return next;
    }
    return this.anyLayoutObject(p);
  }

  /**
   * A layout the logs and song files come in: every key in column order, with
   * the same spacing. One comparison per field takes the comma, the key and
   * the colon; anything else starts the object again.
   */
  private usualLayoutObject(p: number, prefixes: Prefix[]): Step {
    const { cursor, out, columns } = this;
    const { buf, input, end } = cursor;
    const rowStart = out.len;
    // A value given to the general encoder may count lines (an object over several).
    const line = cursor.line;
    out.ensure(end - p + ROW_SLACK);
    for (let col = 0; col < prefixes.length; col++) {
      const prefix = prefixes[col]!;
      if (p + prefix.length > end || !prefixAt(input, p, prefix)) return this.undo(rowStart, line);
      p += prefix.length;
      if (p >= end) return 'incomplete';
      // Whitespace where this layout has none.
      if (buf[p]! <= SPACE) return this.undo(rowStart, line);
      const next = this.field(p, columns[col]!);
      if (typeof next !== 'number') return next === 'incomplete' ? next : this.undo(rowStart, line);
      out.buf[out.len++] = TAB;
      p = next;
    }
    if (p >= end) return 'incomplete';
    if (buf[p] !== CLOSE_BRACE) return this.undo(rowStart, line);
    this.endRow();
    return p + 1;
  }

  /** The row's end: its last tab turned into the newline, or followed by the file id and the newline (room is in ROW_SLACK). */
  private endRow(): void {
    const { out, rowEndLength } = this;
    if (rowEndLength === 0) out.buf[out.len - 1] = NEWLINE;
    else out.bytes(this.rowEnd, 0, rowEndLength);
  }

  /** Forgets the row begun at rowStart, to read its object again in another layout. */
  private undo(rowStart: number, line: number): 'other layout' {
    this.out.len = rowStart;
    this.cursor.line = line;
    return 'other layout';
  }

  /** An object with its keys in any order and any whitespace. */
  private anyLayoutObject(p: number): Step {
    const { cursor, out, columns, keys } = this;
    const { buf, end } = cursor;
    const rowStart = out.len;
    // A row is never longer than its object (escapes and nulls shrink, numbers
    // and plain text stay as they are), so the byte loops below write without
    // asking for room; only the general encoder's text may be longer.
    out.ensure(end - p + ROW_SLACK);
    let seen = 0;
    let expected = 0;
    let inOrder = true;
    p = cursor.skipWhitespace(p + 1);
    if (p >= end) return 'incomplete';
    for (;;) {
      if (buf[p] !== QUOTE) return 'needs general parser';
      const col = columnOf(cursor, keys, p + 1, expected);
      if (typeof col !== 'number') return col;
      if (seen & (1 << col)) return 'needs general parser';
      seen |= 1 << col;
      if (col !== expected) inOrder = false;
      expected = col + 1;
      // The key and its two quotes.
      p = cursor.skipWhitespace(p + keys[col]!.length + 2);
      if (p >= end) return 'incomplete';
      if (buf[p] !== COLON) return 'needs general parser';
      p = cursor.skipWhitespace(p + 1);
      if (p >= end) return 'incomplete';
      this.starts[col] = out.len;
      const next = this.field(p, columns[col]!);
      if (typeof next !== 'number') return next;
      this.ends[col] = out.len;
      out.buf[out.len++] = TAB;
      p = cursor.skipWhitespace(next);
      if (p >= end) return 'incomplete';
      const c = buf[p];
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return 'needs general parser';
      p = cursor.skipWhitespace(p + 1);
      if (p >= end) return 'incomplete';
    }
    if (seen !== this.all) return 'needs general parser';
    if (!inOrder) this.reorder(rowStart);
    this.endRow();
    return p + 1;
  }

  /** The value at p, written as the column's COPY text by the byte path or, if it must be, by the general encoder. */
  private field(p: number, column: FastColumn): Step {
    const { cursor, out } = this;
    const fieldStart = out.len;
    const next = value(cursor, p, column);
    if (typeof next === 'number' || next !== 'needs general encoder') return next;
    out.len = fieldStart;
    const after = readGeneralValue(cursor, p, column);
    out.ensure(cursor.end - p + ROW_SLACK);
    return after;
  }

  /** Puts the fields of the row just written, which came in another key order, in column order. */
  private reorder(rowStart: number): void {
    const out = this.out;
    const row = Buffer.from(out.buf.subarray(rowStart, out.len));
    out.len = rowStart;
    for (let c = 0; c < this.columns.length; c++) {
      out.bytes(row, this.starts[c]! - rowStart, this.ends[c]! - rowStart);
      out.buf[out.len++] = TAB;
    }
  }
}

/** The value at p, by its first byte. */
function value(cursor: ByteCursor, p: number, column: FastColumn): Step {
  const buf = cursor.buf;
  const c = buf[p]!;
  if (c === QUOTE) {
    if (column.kind === 'text') return readText(cursor, p + 1, column);
    if (column.kind === 'integer') return readIntegerText(cursor, p + 1, column);
    return 'needs general encoder';
  }
  if (c === MINUS || (c >= ZERO && c <= NINE)) return readNumber(cursor, p, column);
  if (c === LOWER_N) {
    if (p + 4 > cursor.end) return 'incomplete';
    if (buf[p + 1] !== LOWER_U || buf[p + 2] !== LOWER_L || buf[p + 3] !== LOWER_L) return 'needs general parser';
    cursor.writeNull();
    return p + 4;
  }
  return 'needs general encoder';
}

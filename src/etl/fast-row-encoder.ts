import type { CopyBuffer } from './copy-buffer.js';
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  CR,
  DOT,
  MINUS,
  NEWLINE,
  NINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  SLASH,
  SPACE,
  TAB,
  ZERO,
} from './char-codes.js';
import { FieldError, type FieldEncoder } from './copy-text.js';

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
 */
export type FastKind = 'text' | 'integer' | 'double';

export interface FastColumn {
  /** The exact top-level key. */
  key: string;
  kind: FastKind;
  /** An integer column's range, and how many digits always fit in it. */
  min: number;
  max: number;
  safeDigits: number;
  /** EMPTYASNULL + BLANKSASNULL: an empty or blank text is NULL. */
  emptyAsNull: boolean;
  /** The general encoder, whose results the byte path must equal. */
  encode: FieldEncoder;
}

/** The object starting at `at` (on line `line`) needs the general parser. */
export class NeedsGeneralParser {
  constructor(
    readonly at: number,
    readonly line: number,
  ) {}
}

const INCOMPLETE = -1;
const GENERAL = -2;
/** This value, not the whole object, goes to the general encoder. */
const GENERAL_VALUE = -3;
/** Not in the usual layout tried: read it again in another. */
const ANY_LAYOUT = -4;
const LETTER_N = 78;

export class FastRowEncoder {
  /** The line the next byte is on. */
  line = 1;
  rows = 0;
  /** What the objects so far showed, for the general path (see ReadSoFar). */
  lastEndLine = 0;
  sharedLines = false;
  braceLinesInside = false;
  private readonly keys: Buffer[];
  /**
   * What each field starts with in the two usual layouts: `{"key0":`, `,"key1":`, …
   * (the logs) and `{"key0": `, `, "key1": `, … (the song files).
   */
  private readonly layouts: Prefix[][];
  /** The chunk being encoded and the COPY buffer, read and written four bytes at a time. */
  private input: DataView = new DataView(new ArrayBuffer(0));
  private output: DataView = new DataView(new ArrayBuffer(0));
  private outputOf: Buffer | null = null;
  private readonly all: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(
    private readonly columns: readonly FastColumn[],
    private readonly out: CopyBuffer,
  ) {
    if (columns.length > 30) throw new Error('the byte path handles at most 30 columns');
    this.keys = keyBytes(columns);
    this.layouts = layoutBytes(columns);
    this.all = 2 ** columns.length - 1;
    this.starts = new Int32Array(columns.length);
    this.ends = new Int32Array(columns.length);
  }

  startFile(): void {
    this.line = 1;
    this.lastEndLine = 0;
    this.sharedLines = this.braceLinesInside = false;
  }

  /**
   * Writes the rows of the complete objects in buf[pos…] and returns where it
   * stopped: buf.length, or the start of an object that continues past the
   * end (unless `final`). Throws NeedsGeneralParser at an object it does not take.
   */
  encode(buf: Buffer, pos: number, final: boolean): number {
    const end = buf.length;
    this.input = new DataView(buf.buffer, buf.byteOffset, end);
    for (;;) {
      pos = this.skipWhitespace(buf, pos, end);
      if (pos >= end) return end;
      const line = this.line;
      const rowStart = this.out.len;
      const next = this.object(buf, pos, end);
      if (next >= 0) {
        this.rows++;
        if (line === this.lastEndLine) this.sharedLines = true;
        if (this.line !== line && buf.subarray(pos, next).includes('\n{')) this.braceLinesInside = true;
        this.lastEndLine = this.line;
        pos = next;
        continue;
      }
      this.line = line;
      this.out.len = rowStart;
      if (next === INCOMPLETE && !final) return pos;
      throw new NeedsGeneralParser(pos, line);
    }
  }

  private object(buf: Buffer, p: number, end: number): number {
    if (buf[p] !== OPEN_BRACE) return GENERAL;
    for (const layout of this.layouts) {
      const next = this.usualLayoutObject(buf, p, end, layout);
      if (next !== ANY_LAYOUT) return next;
    }
    return this.anyLayoutObject(buf, p, end);
  }

  /**
   * A layout the logs and song files come in: every key in column order, with
   * the same spacing. One comparison per field takes the comma, the key and
   * the colon; anything else starts the object again.
   */
  private usualLayoutObject(buf: Buffer, p: number, end: number, prefixes: Prefix[]): number {
    const out = this.out;
    const rowStart = out.len;
    // A value given to the general encoder may count lines (an object over several).
    const line = this.line;
    out.ensure(end - p + 64);
    const columns = this.columns;
    const input = this.input;
    for (let col = 0; col < prefixes.length; col++) {
      const { length: n, words } = prefixes[col]!;
      if (p + n > end) return this.undo(rowStart, line);
      // Word k holds the prefix's bytes 4k to 4k+3, the last word its final four.
      const last = words.length - 1;
      for (let k = 0; k < last; k++) if (input.getInt32(p + 4 * k, true) !== words[k]) return this.undo(rowStart, line);
      if (input.getInt32(p + n - 4, true) !== words[last]) return this.undo(rowStart, line);
      p += n;
      if (p >= end) return INCOMPLETE;
      // Whitespace where this layout has none.
      if (buf[p]! <= SPACE) return this.undo(rowStart, line);
      const column = columns[col]!;
      const fieldStart = out.len;
      let next = this.value(buf, p, end, column);
      if (next === GENERAL_VALUE) {
        out.len = fieldStart;
        next = this.generalValue(buf, p, end, column);
        out.ensure(end - p + 64);
      }
      if (next < 0) return next === INCOMPLETE ? INCOMPLETE : this.undo(rowStart, line);
      out.buf[out.len++] = TAB;
      p = next;
    }
    if (p >= end) return INCOMPLETE;
    if (buf[p] !== CLOSE_BRACE) return this.undo(rowStart, line);
    out.buf[out.len - 1] = NEWLINE;
    return p + 1;
  }

  /** Forgets the row begun at rowStart, to read its object again in anyLayoutObject. */
  private undo(rowStart: number, line: number): number {
    this.out.len = rowStart;
    this.line = line;
    return ANY_LAYOUT;
  }

  /** An object with its keys in any order and any whitespace. */
  private anyLayoutObject(buf: Buffer, p: number, end: number): number {
    const out = this.out;
    const rowStart = out.len;
    // A row is never longer than its object (escapes and nulls shrink, numbers
    // and plain text stay as they are), so the byte loops below write without
    // asking for room; only the general encoder's text may be longer.
    out.ensure(end - p + 64);
    let seen = 0;
    let expected = 0;
    let inOrder = true;
    p = this.skipWhitespace(buf, p + 1, end);
    if (p >= end) return INCOMPLETE;
    for (;;) {
      if (buf[p] !== QUOTE) return GENERAL;
      const col = this.columnOf(buf, p + 1, end, expected);
      if (col < 0) return col;
      if (seen & (1 << col)) return GENERAL;
      seen |= 1 << col;
      if (col !== expected) inOrder = false;
      expected = col + 1;
      p = this.skipWhitespace(buf, p + this.keys[col]!.length + 2, end);
      if (p >= end) return INCOMPLETE;
      if (buf[p] !== COLON) return GENERAL;
      p = this.skipWhitespace(buf, p + 1, end);
      if (p >= end) return INCOMPLETE;
      const column = this.columns[col]!;
      const fieldStart = out.len;
      this.starts[col] = fieldStart;
      let next = this.value(buf, p, end, column);
      if (next === GENERAL_VALUE) {
        out.len = fieldStart;
        next = this.generalValue(buf, p, end, column);
        out.ensure(end - p + 64);
      }
      if (next < 0) return next;
      this.ends[col] = out.len;
      out.buf[out.len++] = TAB;
      p = this.skipWhitespace(buf, next, end);
      if (p >= end) return INCOMPLETE;
      const c = buf[p];
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return GENERAL;
      p = this.skipWhitespace(buf, p + 1, end);
      if (p >= end) return INCOMPLETE;
    }
    if (seen !== this.all) return GENERAL;
    if (!inOrder) this.reorder(rowStart);
    out.buf[out.len - 1] = NEWLINE;
    return p + 1;
  }

  /** The column whose key starts at `start` (just past its opening quote), or a negative code. */
  private columnOf(buf: Buffer, start: number, end: number, expected: number): number {
    const keys = this.keys;
    if (expected < keys.length && keyAt(buf, start, end, keys[expected]!)) return expected;
    for (let c = 0; c < keys.length; c++) {
      if (c !== expected && keyAt(buf, start, end, keys[c]!)) return c;
    }
    // Not a known key as plain bytes: the general path decides, once the key is whole.
    for (let i = start; i < end; i++) if (buf[i] === QUOTE) return GENERAL;
    return INCOMPLETE;
  }

  private value(buf: Buffer, p: number, end: number, column: FastColumn): number {
    const c = buf[p]!;
    if (c === QUOTE) {
      if (column.kind === 'text') return this.textValue(buf, p + 1, end, column);
      if (column.kind === 'integer') return this.integerText(buf, p + 1, end, column);
      return GENERAL_VALUE;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number(buf, p, end, column);
    if (c === 110 /* n */) {
      if (p + 4 > end) return INCOMPLETE;
      if (buf[p + 1] !== 117 || buf[p + 2] !== 108 || buf[p + 3] !== 108) return GENERAL;
      this.writeNull();
      return p + 4;
    }
    return GENERAL_VALUE;
  }

  /** The COPY buffer as a DataView; the buffer changes when it grows or is taken. */
  private outputView(): DataView {
    const buf = this.out.buf;
    if (this.outputOf !== buf) {
      this.output = new DataView(buf.buffer, buf.byteOffset, buf.length);
      this.outputOf = buf;
    }
    return this.output;
  }

  private writeNull(): void {
    const out = this.out;
    out.buf[out.len++] = BACKSLASH;
    out.buf[out.len++] = LETTER_N;
  }

  /** A string for a text column; s is just past the opening quote. */
  private textValue(buf: Buffer, s: number, end: number, column: FastColumn): number {
    if (s >= end) return INCOMPLETE;
    const first = buf[s]!;
    if (column.emptyAsNull) {
      if (first === QUOTE) {
        this.writeNull();
        return s + 1;
      }
      // Whether it is blank is plain only when it starts with a visible ASCII character.
      if (first <= SPACE || first >= 127) return GENERAL_VALUE;
      if (first === BACKSLASH) {
        if (s + 1 >= end) return INCOMPLETE;
        const e = buf[s + 1];
        if (e !== QUOTE && e !== BACKSLASH && e !== SLASH) return GENERAL_VALUE;
      }
    }
    const dst = this.out.buf;
    const output = this.outputView();
    const input = this.input;
    let o = this.out.len;
    let i = s;
    for (;;) {
      // Four bytes at a time up to the first quote, backslash or control
      // character. A word is written whole, even past such a byte: what
      // follows overwrites the rest (the room ensured for a row is its
      // object's length and more).
      for (; i + 4 <= end; i += 4, o += 4) {
        const word = input.getInt32(i, true);
        output.setInt32(o, word, true);
        const special = specialBytes(word);
        if (special !== 0) {
          // The lowest flagged byte comes first in memory, and is truly special.
          const k = (31 - Math.clz32(special & -special)) >> 3;
          i += k;
          o += k;
          break;
        }
      }
      if (i >= end) return INCOMPLETE;
      const c = buf[i]!;
      if (c === QUOTE) break;
      if (c < SPACE) return GENERAL; // raw line breaks, tabs and NULs are not JSON
      if (c !== BACKSLASH) {
        dst[o++] = c;
        i++;
        continue;
      }
      if (i + 1 >= end) return INCOMPLETE;
      const e = buf[i + 1]!;
      i += 2;
      if (e === QUOTE || e === SLASH) dst[o++] = e;
      else if (e === BACKSLASH || e === 110 || e === 116 || e === 114) {
        // \\ \n \t \r are written the same way in COPY text
        dst[o++] = BACKSLASH;
        dst[o++] = e;
      } else if (e === 98) dst[o++] = 8; // \b
      else if (e === 102) dst[o++] = 12; // \f
      else if (e === 117) {
        if (i + 4 > end) return INCOMPLETE;
        const code = hex4(buf, i);
        if (code < 0) return GENERAL;
        if (code >= 0xd800 && code <= 0xdfff) return GENERAL_VALUE;
        o = writeCodePoint(dst, o, code);
        i += 4;
      } else return GENERAL;
    }
    this.out.len = o;
    return i + 1;
  }

  /** A string for an integer column: plain digits are copied, anything else is the general encoder's. */
  private integerText(buf: Buffer, s: number, end: number, column: FastColumn): number {
    const q = this.digitsEnd(buf, s, end);
    if (q >= end) return INCOMPLETE;
    if (buf[q] !== QUOTE) return GENERAL_VALUE;
    const n = q - s;
    if (n === 0) {
      this.writeNull();
      return q + 1;
    }
    if (n > 15 || (buf[s] === ZERO && n > 1) || (n > column.safeDigits && digitsValue(buf, s, q) > column.max)) return GENERAL_VALUE;
    this.copy(buf, s, q, end);
    return q + 1;
  }

  private number(buf: Buffer, p: number, end: number, column: FastColumn): number {
    let i = p;
    const negative = buf[i] === MINUS;
    if (negative) i++;
    const digits = i;
    i = this.digitsEnd(buf, i, end);
    if (i >= end) return INCOMPLETE;
    const count = i - digits;
    if (count === 0 || (buf[digits] === ZERO && count > 1)) return GENERAL;
    let plain = true;
    let exponent = false;
    if (buf[i] === DOT) {
      plain = false;
      const from = ++i;
      i = this.digitsEnd(buf, i, end);
      if (i >= end) return INCOMPLETE;
      if (i === from) return GENERAL;
    }
    if (buf[i] === 101 || buf[i] === 69) {
      plain = false;
      exponent = true;
      i++;
      if (i < end && (buf[i] === 43 || buf[i] === MINUS)) i++;
      const from = i;
      while (i < end && buf[i]! >= ZERO && buf[i]! <= NINE) i++;
      if (i >= end) return INCOMPLETE;
      if (i === from) return GENERAL;
    }
    // -0 is stored as 0 by the general encoder; copying "-0" would keep the sign.
    const negativeZero = negative && buf[digits] === ZERO;
    if (column.kind === 'integer') {
      if (!plain || count > 15 || negativeZero) return GENERAL_VALUE;
      if (count > column.safeDigits) {
        const value = digitsValue(buf, digits, digits + count);
        const v = negative ? -value : value;
        if (v < column.min || v > column.max) return GENERAL_VALUE;
      }
    } else if (column.kind !== 'double' || exponent || i - p > 20 || negativeZero) {
      // Exponents may overflow a double; long digit runs too.
      return GENERAL_VALUE;
    }
    this.copy(buf, p, i, end);
    return i;
  }

  /** Where the run of digits from i ends, looking at four bytes at a time. */
  private digitsEnd(buf: Buffer, i: number, end: number): number {
    const input = this.input;
    for (; i + 4 <= end; i += 4) {
      const word = input.getInt32(i, true);
      // Every byte 0x30-0x3f, and still below 0x40 with 6 added: 0-9.
      if ((word & 0xf0f0f0f0) !== 0x30303030 || ((word + 0x06060606) & 0xf0f0f0f0) !== 0x30303030) break;
    }
    while (i < end && buf[i]! >= ZERO && buf[i]! <= NINE) i++;
    return i;
  }

  /**
   * Copies buf[from, to) to the COPY text four bytes at a time. It may write
   * up to three bytes past them, which the next field overwrites: the room
   * ensured for a row is its object's length and more.
   */
  private copy(buf: Buffer, from: number, to: number, end: number): void {
    const out = this.out;
    const n = to - from;
    if (from + n + 3 >= end) {
      out.bytes(buf, from, to);
      return;
    }
    const input = this.input;
    const output = this.outputView();
    const o = out.len;
    for (let k = 0; k < n; k += 4) output.setInt32(o + k, input.getInt32(from + k, true), true);
    out.len = o + n;
  }

  /** Parses just this value and writes what the column's general encoder makes of it. */
  private generalValue(buf: Buffer, p: number, end: number, column: FastColumn): number {
    const valueEnd = this.skipValue(buf, p, end);
    if (valueEnd < 0) return valueEnd;
    let text: string;
    try {
      text = column.encode(JSON.parse(buf.toString('utf8', p, valueEnd)));
    } catch (error) {
      // The general path reads the whole object again and words the error.
      if (error instanceof SyntaxError || error instanceof FieldError) return GENERAL;
      throw error;
    }
    this.out.string(text);
    return valueEnd;
  }

  /** The end of the value at p, counting the lines it spans. */
  private skipValue(buf: Buffer, p: number, end: number): number {
    const c = buf[p];
    if (c === QUOTE) return skipString(buf, p, end);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
      // A number or a literal, up to the next delimiter; JSON.parse judges it.
      let i = p;
      while (i < end && !isDelimiter(buf[i]!)) i++;
      return i >= end ? INCOMPLETE : i;
    }
    let depth = 0;
    let lines = 0;
    for (let i = p; i < end; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        const after = skipString(buf, i, end);
        if (after < 0) return after;
        i = after - 1;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (--depth === 0) {
          this.line += lines;
          return i + 1;
        }
      } else if (b === NEWLINE) lines++;
    }
    return INCOMPLETE;
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

  private skipWhitespace(buf: Buffer, p: number, end: number): number {
    for (; p < end; p++) {
      const c = buf[p];
      if (c === NEWLINE) this.line++;
      else if (c !== SPACE && c !== CR && c !== TAB) break;
    }
    return p;
  }
}

// One encoder is made per file, and there may be 100k song files.
const keysOf = new WeakMap<readonly FastColumn[], Buffer[]>();

function keyBytes(columns: readonly FastColumn[]): Buffer[] {
  let keys = keysOf.get(columns);
  if (!keys) keysOf.set(columns, (keys = columns.map((c) => Buffer.from(c.key))));
  return keys;
}

/** What a field starts with, as little-endian 32-bit words: see usualLayoutObject. */
interface Prefix {
  length: number;
  words: Int32Array;
}

function prefix(text: string): Prefix {
  const bytes = Buffer.from(text);
  if (bytes.length < 4) throw new Error(`a field prefix has at least four bytes: ${text}`);
  const words = [];
  for (let at = 0; at + 4 < bytes.length; at += 4) words.push(bytes.readInt32LE(at));
  words.push(bytes.readInt32LE(bytes.length - 4));
  return { length: bytes.length, words: Int32Array.from(words) };
}

const layoutsOf = new WeakMap<readonly FastColumn[], Prefix[][]>();

function layoutBytes(columns: readonly FastColumn[]): Prefix[][] {
  let layouts = layoutsOf.get(columns);
  if (!layouts) {
    const layout = (comma: string, colon: string) => columns.map((c, i) => prefix(`${i === 0 ? '{' : comma}${JSON.stringify(c.key)}${colon}`));
    layoutsOf.set(columns, (layouts = [layout(',', ':'), layout(', ', ': ')]));
  }
  return layouts;
}

/**
 * The bytes of a little-endian word that are a quote, a backslash or below a
 * space, as their top bits (0 for none): the classic "has a zero byte" test on
 * word ^ 0x22 and word ^ 0x5c in every byte, and "has a byte below n". A byte
 * above a flagged one may be flagged falsely (a borrow); the lowest never is.
 * Bytes from 0x80 up pass (UTF-8, checked before).
 */
function specialBytes(word: number): number {
  const quote = word ^ 0x22222222;
  const backslash = word ^ 0x5c5c5c5c;
  return (((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash) | ((word - 0x20202020) & ~word)) & 0x80808080;
}

/** Whether the key at `start` is `key`, closing quote included. */
function keyAt(buf: Buffer, start: number, end: number, key: Buffer): boolean {
  const n = key.length;
  if (start + n >= end) return false;
  for (let i = 0; i < n; i++) if (buf[start + i] !== key[i]) return false;
  return buf[start + n] === QUOTE;
}

/** Writes a code point below U+D800 as escapeCopyText would, in UTF-8. */
function writeCodePoint(dst: Buffer, o: number, code: number): number {
  if (code >= 0x800) {
    dst[o++] = 0xe0 | (code >> 12);
    dst[o++] = 0x80 | ((code >> 6) & 0x3f);
    dst[o++] = 0x80 | (code & 0x3f);
  } else if (code >= 0x80) {
    dst[o++] = 0xc0 | (code >> 6);
    dst[o++] = 0x80 | (code & 0x3f);
  } else if (code === NEWLINE || code === TAB || code === CR) {
    dst[o++] = BACKSLASH;
    dst[o++] = code === NEWLINE ? 110 : code === TAB ? 116 : 114;
  } else if (code === BACKSLASH) {
    dst[o++] = BACKSLASH;
    dst[o++] = BACKSLASH;
  } else if (code !== 0) {
    dst[o++] = code; // NUL cannot be stored in text: dropped
  }
  return o;
}

/** Just past the closing quote of the string opening at p. */
function skipString(buf: Buffer, p: number, end: number): number {
  for (let i = p + 1; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return INCOMPLETE;
}

function isDelimiter(b: number): boolean {
  return b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || b === SPACE || b === NEWLINE || b === CR || b === TAB;
}

/** The value of the digits buf[from, to), at most 15 of them. */
function digitsValue(buf: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (buf[i]! - ZERO);
  return value;
}

function hex4(buf: Buffer, p: number): number {
  let code = 0;
  for (let i = p; i < p + 4; i++) {
    const b = buf[i]!;
    const d = b >= ZERO && b <= NINE ? b - ZERO : b >= 97 && b <= 102 ? b - 87 : b >= 65 && b <= 70 ? b - 55 : -1;
    if (d < 0) return -1;
    code = code * 16 + d;
  }
  return code;
}

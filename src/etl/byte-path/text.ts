import {
  BACKSLASH,
  BACKSPACE,
  CR,
  DELETE,
  FORM_FEED,
  LOWER_A,
  LOWER_B,
  LOWER_F,
  LOWER_N,
  LOWER_R,
  LOWER_T,
  LOWER_U,
  NEWLINE,
  NINE,
  NUL,
  QUOTE,
  SLASH,
  SPACE,
  TAB,
  UPPER_A,
  UPPER_F,
  ZERO,
} from '../char-codes.js';
import type { FastColumn } from './column.js';
import type { ByteCursor, Step } from './cursor.js';
import { firstFlagged, specialBytes } from './words.js';

/** \uD800-\uDFFF: halves of a surrogate pair, which escapeCopyText (the general encoder) judges. */
const FIRST_SURROGATE = 0xd800;
const LAST_SURROGATE = 0xdfff;

/**
 * A JSON string for a text column, written as COPY text; s is just past the
 * opening quote. Plain bytes are copied four at a time; escapes are turned
 * into COPY text one by one.
 */
export function readText(cursor: ByteCursor, s: number, column: FastColumn): Step {
  const { buf, end } = cursor;
  if (s >= end) return 'incomplete';
  const first = buf[s]!;
  if (column.emptyAsNull) {
    if (first === QUOTE) {
      cursor.writeNull();
      return s + 1;
    }
    // Whether it is blank is plain only when it starts with a visible ASCII character.
    if (first <= SPACE || first >= DELETE) return 'needs general encoder';
    if (first === BACKSLASH) {
      if (s + 1 >= end) return 'incomplete';
      const e = buf[s + 1];
      if (e !== QUOTE && e !== BACKSLASH && e !== SLASH) return 'needs general encoder';
    }
  }
  const out = cursor.out;
  const dst = out.buf;
  const output = cursor.outputView();
  const input = cursor.input;
  let o = out.len;
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
        // The first flagged byte is truly special.
        const k = firstFlagged(special);
        i += k;
        o += k;
        break;
      }
    }
    if (i >= end) return 'incomplete';
    const c = buf[i]!;
    if (c === QUOTE) break;
    if (c < SPACE) return 'needs general parser'; // raw line breaks, tabs and NULs are not JSON
    if (c !== BACKSLASH) {
      dst[o++] = c;
      i++;
      continue;
    }
    if (i + 1 >= end) return 'incomplete';
    const e = buf[i + 1]!;
    i += 2;
    if (e === QUOTE || e === SLASH) dst[o++] = e;
    else if (e === BACKSLASH || e === LOWER_N || e === LOWER_T || e === LOWER_R) {
      // \\ \n \t \r are written the same way in COPY text
      dst[o++] = BACKSLASH;
      dst[o++] = e;
    } else if (e === LOWER_B) dst[o++] = BACKSPACE;
    else if (e === LOWER_F) dst[o++] = FORM_FEED;
    else if (e === LOWER_U) {
      if (i + 4 > end) return 'incomplete';
      const code = hex4(buf, i);
      if (code === null) return 'needs general parser';
      if (code >= FIRST_SURROGATE && code <= LAST_SURROGATE) return 'needs general encoder';
      o = writeCodePoint(dst, o, code);
      i += 4;
    } else return 'needs general parser';
  }
  out.len = o;
  return i + 1;
}

/** Writes a code point below U+D800 as escapeCopyText would, in UTF-8. */
function writeCodePoint(dst: Buffer, o: number, code: number): number {
  // UTF-8: from U+0800 three bytes, from U+0080 two. The lead byte's top bits
  // say how many bytes follow (110xxxxx one, 1110xxxx two); each that follows
  // is 10xxxxxx with six bits of the code.
  if (code >= 0x800) {
    dst[o++] = 0b1110_0000 | (code >> 12);
    dst[o++] = 0b1000_0000 | ((code >> 6) & 0b11_1111);
    dst[o++] = 0b1000_0000 | (code & 0b11_1111);
  } else if (code > DELETE) {
    dst[o++] = 0b1100_0000 | (code >> 6);
    dst[o++] = 0b1000_0000 | (code & 0b11_1111);
  } else if (code === NEWLINE || code === TAB || code === CR) {
    dst[o++] = BACKSLASH;
    dst[o++] = code === NEWLINE ? LOWER_N : code === TAB ? LOWER_T : LOWER_R;
  } else if (code === BACKSLASH) {
    dst[o++] = BACKSLASH;
    dst[o++] = BACKSLASH;
  } else if (code !== NUL) {
    dst[o++] = code; // NUL cannot be stored in text: dropped
  }
  return o;
}

/** The four hex digits at p as a number, or null if they are not. */
function hex4(buf: Buffer, p: number): number | null {
  let code = 0;
  for (let i = p; i < p + 4; i++) {
    const b = buf[i]!;
    let digit: number;
    if (b >= ZERO && b <= NINE) digit = b - ZERO;
    else if (b >= LOWER_A && b <= LOWER_F) digit = b - LOWER_A + 10;
    else if (b >= UPPER_A && b <= UPPER_F) digit = b - UPPER_A + 10;
    else return null;
    code = code * 16 + digit;
  }
  return code;
}

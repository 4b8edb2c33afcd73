import { QUOTE } from '../char-codes.js';
import type { FastColumn } from './column.js';
import type { ByteCursor, Stop } from './cursor.js';

/**
 * Finding the columns' keys in the bytes: whole field prefixes (`,"key":`) in
 * the usual layouts, one key at a time in any other.
 */

/** What a field starts with (its comma, quoted key and colon), as little-endian 32-bit words. */
export interface Prefix {
  length: number;
  /** Word k holds the prefix's bytes 4k to 4k+3, the last word its final four (which may overlap the one before). */
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

// One encoder is made per load but may be made per file (there may be 100k song files): the bytes are made once per key list.
const keysOf = new WeakMap<readonly FastColumn[], Buffer[]>();
const layoutsOf = new WeakMap<readonly FastColumn[], Prefix[][]>();

/** Each column's key as UTF-8 bytes. */
export function keyBytes(columns: readonly FastColumn[]): Buffer[] {
  let keys = keysOf.get(columns);
  if (!keys) keysOf.set(columns, (keys = columns.map((c) => Buffer.from(c.key))));
  return keys;
}

/**
 * The field prefixes of the two usual layouts, all keys in column order:
 * `{"key0":`, `,"key1":`, … (the logs) and `{"key0": `, `, "key1": `, … (the song files).
 */
export function layoutPrefixes(columns: readonly FastColumn[]): Prefix[][] {
  let layouts = layoutsOf.get(columns);
  if (!layouts) {
    const layout = (comma: string, colon: string) => columns.map((c, i) => prefix(`${i === 0 ? '{' : comma}${JSON.stringify(c.key)}${colon}`));
    layoutsOf.set(columns, (layouts = [layout(',', ':'), layout(', ', ': ')]));
  }
  return layouts;
}

/** Whether the bytes at p are the prefix; the caller has checked that all its bytes are there. */
export function prefixAt(input: DataView, p: number, { length, words }: Prefix): boolean {
  const last = words.length - 1;
  for (let k = 0; k < last; k++) if (input.getInt32(p + 4 * k, true) !== words[k]) return false;
  return input.getInt32(p + length - 4, true) === words[last];
}

/**
 * The column whose key starts at `start` (just past its opening quote),
 * trying `expected` first; or why there is none.
 */
export function columnOf(cursor: ByteCursor, keys: Buffer[], start: number, expected: number): number | Stop {
  const { buf, end } = cursor;
  if (expected < keys.length && keyAt(buf, start, end, keys[expected]!)) return expected;
  for (let c = 0; c < keys.length; c++) {
    if (c !== expected && keyAt(buf, start, end, keys[c]!)) return c;
  }
  // Not a known key as plain bytes: the general path decides, once the key is whole.
  for (let i = start; i < end; i++) if (buf[i] === QUOTE) return 'needs general parser';
  return 'incomplete';
}

/** Whether the key at `start` is `key`, closing quote included. */
function keyAt(buf: Buffer, start: number, end: number, key: Buffer): boolean {
  const n = key.length;
  if (start + n >= end) return false;
  for (let i = 0; i < n; i++) if (buf[start + i] !== key[i]) return false;
  return buf[start + n] === QUOTE;
}

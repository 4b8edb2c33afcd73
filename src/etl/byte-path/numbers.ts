import { DOT, LOWER_E, MINUS, NINE, PLUS, QUOTE, UPPER_E, ZERO } from '../char-codes.js';
import type { FastColumn } from './column.js';
import type { ByteCursor, Step } from './cursor.js';
import { digitsEnd } from './words.js';

/**
 * Numbers, copied as their digits where the general encoder would write the
 * same value; anything it might write otherwise (a leading minus on zero, an
 * exponent, too many digits, out of an integer column's range) is its.
 */

/** Below 2^53 whatever the digits: a number of at most this many is exact. */
const EXACT_DIGITS = 15;
/** A number for a double column longer than this goes to the general encoder, as one with an exponent does. */
const MAX_DOUBLE_LENGTH = 20;

/** A JSON number at p, for an integer or double column. */
export function readNumber(cursor: ByteCursor, p: number, column: FastColumn): Step {
  const { buf, input, end } = cursor;
  let i = p;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  const digits = i;
  i = digitsEnd(buf, input, i, end);
  if (i >= end) return 'incomplete';
  const count = i - digits;
  if (count === 0 || (buf[digits] === ZERO && count > 1)) return 'needs general parser';
  let plain = true;
  let exponent = false;
  if (buf[i] === DOT) {
    plain = false;
    const from = ++i;
    i = digitsEnd(buf, input, i, end);
    if (i >= end) return 'incomplete';
    if (i === from) return 'needs general parser';
  }
  if (buf[i] === LOWER_E || buf[i] === UPPER_E) {
    plain = false;
    exponent = true;
    i++;
    if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    const from = i;
    while (i < end && buf[i]! >= ZERO && buf[i]! <= NINE) i++;
    if (i >= end) return 'incomplete';
    if (i === from) return 'needs general parser';
  }
  // -0 is stored as 0 by the general encoder; copying "-0" would keep the sign.
  const negativeZero = negative && buf[digits] === ZERO;
  if (column.kind === 'integer') {
    if (!plain || count > EXACT_DIGITS || negativeZero) return 'needs general encoder';
    if (count > column.safeDigits) {
      const value = digitsValue(buf, digits, digits + count);
      const v = negative ? -value : value;
      if (v < column.min || v > column.max) return 'needs general encoder';
    }
  } else if (column.kind !== 'double' || exponent || i - p > MAX_DOUBLE_LENGTH || negativeZero) {
    // Exponents may overflow a double; long digit runs too.
    return 'needs general encoder';
  }
  cursor.copy(p, i);
  return i;
}

/** A string for an integer column (s is just past its quote): plain digits are copied, "" is NULL, anything else is the general encoder's. */
export function readIntegerText(cursor: ByteCursor, s: number, column: FastColumn): Step {
  const { buf, input, end } = cursor;
  const q = digitsEnd(buf, input, s, end);
  if (q >= end) return 'incomplete';
  if (buf[q] !== QUOTE) return 'needs general encoder';
  const n = q - s;
  if (n === 0) {
    cursor.writeNull();
    return q + 1;
  }
  if (n > EXACT_DIGITS || (buf[s] === ZERO && n > 1) || (n > column.safeDigits && digitsValue(buf, s, q) > column.max)) return 'needs general encoder';
  cursor.copy(s, q);
  return q + 1;
}

/** The value of the digits buf[from, to), at most EXACT_DIGITS of them. */
function digitsValue(buf: Buffer, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (buf[i]! - ZERO);
  return value;
}

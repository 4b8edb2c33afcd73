import { BACKSLASH, NINE, QUOTE, SPACE, ZERO } from '../char-codes.js';

/**
 * Tests on four bytes at once: a little-endian 32-bit word of the chunk,
 * its first byte in the lowest bits. (The classic bit tricks; see "Bit
 * Twiddling Hacks", "determine if a word has a byte less than n".)
 */

/** A word with `byte` in each of its four bytes. */
const everyByte = (byte: number) => byte * 0x01010101;
const ONES = everyByte(1);
const TOP_BITS = everyByte(0x80);
const HIGH_NIBBLES = everyByte(0xf0);
const QUOTES = everyByte(QUOTE);
const BACKSLASHES = everyByte(BACKSLASH);
const SPACES = everyByte(SPACE);
const ZEROS = everyByte(ZERO);
/** Added to a byte 0x30-0x3f, leaves it below 0x40 only if it was a digit (0x30-0x39). */
const PAST_NINE = everyByte(0x3f - NINE);

/**
 * The bytes of a word that are a quote, a backslash or below a space, as
 * their top bits (0 for none): "has a zero byte" on word ^ QUOTES and
 * word ^ BACKSLASHES, and "has a byte below n". A byte above a flagged one
 * may be flagged falsely (a borrow); the lowest never is. Bytes from 0x80 up
 * pass (UTF-8, checked before).
 */
export function specialBytes(word: number): number {
  const quote = word ^ QUOTES;
  const backslash = word ^ BACKSLASHES;
  return (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((word - SPACES) & ~word)) & TOP_BITS;
}

/** Which byte of its word (0 to 3) the lowest flag of specialBytes is on: the first in memory. */
export function firstFlagged(flags: number): number {
  // The lowest set bit's index, over the 8 bits of a byte.
  return (31 - Math.clz32(flags & -flags)) >> 3;
}

/** Whether all four bytes of a word are digits 0-9. */
export function fourDigits(word: number): boolean {
  return (word & HIGH_NIBBLES) === ZEROS && ((word + PAST_NINE) & HIGH_NIBBLES) === ZEROS;
}

/** Where the run of digits in buf from i ends, looking at four bytes at a time. */
export function digitsEnd(buf: Buffer, input: DataView, i: number, end: number): number {
  for (; i + 4 <= end; i += 4) if (!fourDigits(input.getInt32(i, true))) break;
  while (i < end && buf[i]! >= ZERO && buf[i]! <= NINE) i++;
  return i;
}

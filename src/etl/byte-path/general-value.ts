import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, CR, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE, SPACE, TAB } from '../char-codes.js';
import { FieldError } from '../copy-text.js';
import type { FastColumn } from './column.js';
import type { ByteCursor, Step } from './cursor.js';

/**
 * A value the byte path does not write itself (true, a nested object, a
 * number as a string for a double column, a \uD800 surrogate…): parsed on its
 * own and written as the column's general encoder makes it.
 */
export function readGeneralValue(cursor: ByteCursor, p: number, column: FastColumn): Step {
  const valueEnd = skipValue(cursor, p);
  if (typeof valueEnd !== 'number') return valueEnd;
  let text: string;
  try {
    text = column.encode(JSON.parse(cursor.buf.toString('utf8', p, valueEnd)));
  } catch (error) {
    // The general path reads the whole object again and words the error.
    if (error instanceof SyntaxError || error instanceof FieldError) return 'needs general parser';
    throw error;
  }
  cursor.out.string(text);
  return valueEnd;
}

/** The end of the value at p, counting the lines it spans. */
function skipValue(cursor: ByteCursor, p: number): Step {
  const { buf, end } = cursor;
  const c = buf[p];
  if (c === QUOTE) return skipString(buf, p, end);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    // A number or a literal, up to the next delimiter; JSON.parse judges it.
    let i = p;
    while (i < end && !isDelimiter(buf[i]!)) i++;
    return i >= end ? 'incomplete' : i;
  }
  let depth = 0;
  let lines = 0;
  for (let i = p; i < end; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      const after = skipString(buf, i, end);
      if (typeof after !== 'number') return after;
      i = after - 1;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (--depth === 0) {
        cursor.line += lines;
        return i + 1;
      }
    } else if (b === NEWLINE) lines++;
  }
  return 'incomplete';
}

/** Just past the closing quote of the string opening at p. */
function skipString(buf: Buffer, p: number, end: number): Step {
  for (let i = p + 1; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return 'incomplete';
}

function isDelimiter(b: number): boolean {
  return b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || b === SPACE || b === NEWLINE || b === CR || b === TAB;
}

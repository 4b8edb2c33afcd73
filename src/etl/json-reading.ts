import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  CR,
  MINUS,
  NEWLINE,
  NINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  SPACE,
  TAB,
  ZERO,
} from './char-codes.js';

/**
 * Reads one JSON value the way JSON.parse does, to say where and why text is
 * not JSON: "expected a string or '}' but found 't'". The loaders parse with
 * JSON.parse (or the byte path) and read with this only once that fails, or
 * to tell whether an object that seems to run into the next one's line does.
 */
export type Reading =
  /** One whole value: text[from, end). What follows it is not read. */
  | { kind: 'value'; end: number }
  /** Not JSON: at text[at], `expected` would have been, and `found` (in words) is. */
  | { kind: 'error'; at: number; expected: string; found: string }
  /** The text ends (at its length) inside the value, where `expected` would have come. */
  | { kind: 'cut'; at: number; expected: string };

/** The value that starts at text[from] (after any whitespace). */
export function readJsonValue(text: string, from = 0): Reading {
  const n = text.length;
  /** The containers the reading is inside, innermost last. */
  const open: number[] = [];
  // What comes next: a value, a key, the colon after a key, or what follows a value.
  let expecting: 'value' | 'firstValue' | 'key' | 'firstKey' | 'colon' | 'next' = 'value';
  let i = from;
  for (;;) {
    if (expecting === 'next' && open.length === 0) return { kind: 'value', end: i };
    i = skipWhitespace(text, i);
    if (i >= n) return { kind: 'cut', at: n, expected: expectedWords(expecting, open) };
    const c = text.charCodeAt(i);
    const fail = (): Reading => ({ kind: 'error', at: i, expected: expectedWords(expecting, open), found: describeAt(text, i) });
    if (expecting === 'next') {
      const inObject = open[open.length - 1] === OPEN_BRACE;
      if (c === COMMA) expecting = inObject ? 'key' : 'value';
      else if (c === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) open.pop();
      else return fail();
      i++;
    } else if (expecting === 'colon') {
      if (c !== COLON) return fail();
      expecting = 'value';
      i++;
    } else if (expecting === 'key' || expecting === 'firstKey') {
      if (c === CLOSE_BRACE && expecting === 'firstKey') {
        open.pop();
        expecting = 'next';
        i++;
        continue;
      }
      if (c !== QUOTE) return fail();
      const end = readString(text, i);
      if (typeof end !== 'number') return end;
      expecting = 'colon';
      i = end;
    } else if (c === CLOSE_BRACKET && expecting === 'firstValue') {
      open.pop();
      expecting = 'next';
      i++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open.push(c);
      expecting = c === OPEN_BRACE ? 'firstKey' : 'firstValue';
      i++;
    } else {
      const end = c === QUOTE ? readString(text, i) : c === MINUS || isDigit(c) ? readNumber(text, i) : readLiteral(text, i);
      if (end === null) return fail();
      if (typeof end !== 'number') return end;
      expecting = 'next';
      i = end;
    }
  }
}

function expectedWords(expecting: string, open: number[]): string {
  if (expecting === 'firstKey') return "a string or '}'";
  if (expecting === 'key') return 'a string';
  if (expecting === 'colon') return "':'";
  if (expecting === 'firstValue') return "a value or ']'";
  if (expecting === 'value') return 'a value';
  return open[open.length - 1] === OPEN_BRACE ? "',' or '}'" : "',' or ']'";
}

/** Just past the closing quote of the string at text[q], or why it is not one. */
function readString(text: string, q: number): number | Reading {
  const n = text.length;
  const close = "'\"' to close the string";
  for (let i = q + 1; ; i++) {
    if (i >= n) return { kind: 'cut', at: n, expected: close };
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (i + 1 >= n) return { kind: 'cut', at: n, expected: 'an escape' };
      const e = text.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        for (let k = i + 2; k < i + 6; k++) {
          if (k >= n) return { kind: 'cut', at: n, expected: 'four hex digits after \\u' };
          if (!isHex(text.charCodeAt(k))) return { kind: 'error', at: k, expected: 'four hex digits after \\u', found: describeAt(text, k) };
        }
        i += 5;
      } else if (ESCAPES.includes(String.fromCharCode(e))) {
        i++;
      } else {
        return {
          kind: 'error',
          at: i + 1,
          expected: 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits)',
          found: describeAt(text, i + 1),
        };
      }
    } else if (c < SPACE) {
      if (isLineEnd(text, i)) return { kind: 'error', at: i, expected: close, found: 'the end of the line' };
      return { kind: 'error', at: i, expected: `the escape ${escapeOf(c)}`, found: `a raw ${c === TAB ? 'tab' : 'control character'} in a string` };
    }
  }
}

const ESCAPES = '"\\/bfnrt';

/** Just past the number at text[i], or why it is not one. */
function readNumber(text: string, i: number): number | Reading {
  const digits = (from: number, expected: string): number | Reading => {
    if (from >= text.length) return { kind: 'cut', at: text.length, expected };
    if (!isDigit(text.charCodeAt(from))) return { kind: 'error', at: from, expected, found: describeAt(text, from) };
    let j = from;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    return j;
  };
  if (text.charCodeAt(i) === MINUS) i++;
  let end: number | Reading;
  if (text.charCodeAt(i) === ZERO)
    end = i + 1; // no digit may follow a leading zero
  else end = digits(i, 'a digit');
  if (typeof end !== 'number') return end;
  if (text.charCodeAt(end) === 46 /* . */) end = digits(end + 1, 'a digit after the decimal point');
  if (typeof end !== 'number') return end;
  const e = text.charCodeAt(end);
  if (e === 101 || e === 69 /* e E */) {
    const sign = text.charCodeAt(end + 1);
    const signed = sign === 43 || sign === MINUS;
    end = digits(end + (signed ? 2 : 1), signed ? 'a digit' : "a digit, '+' or '-'");
  }
  return end;
}

/** Just past the true, false or null at text[i]; null if none of them starts there. */
function readLiteral(text: string, i: number): number | Reading | null {
  const word = ['true', 'false', 'null'].find((w) => w.charCodeAt(0) === text.charCodeAt(i));
  if (!word) return null;
  for (let k = 1; k < word.length; k++) {
    if (i + k >= text.length) return { kind: 'cut', at: text.length, expected: `'${word}'` };
    if (text[i + k] !== word[k]) return { kind: 'error', at: i + k, expected: `'${word}'`, found: describeAt(text, i + k) };
  }
  return i + word.length;
}

/** What text[at] is, in words: 't', the end of the line, '\u0001'. */
export function describeAt(text: string, at: number): string {
  if (isLineEnd(text, at)) return 'the end of the line';
  const code = text.codePointAt(at)!;
  if (code < SPACE || (code >= 0x7f && code <= 0xa0) || code === 0x2028 || code === 0x2029 || code === 0xfeff || (code >= 0xd800 && code <= 0xdfff)) {
    return `'\\u${code.toString(16).padStart(4, '0')}'`;
  }
  return code === 39 ? `"'"` : `'${String.fromCodePoint(code)}'`;
}

function isLineEnd(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === NEWLINE || (c === CR && (at + 1 >= text.length || text.charCodeAt(at + 1) === NEWLINE));
}

function escapeOf(c: number): string {
  const short: Record<number, string> = { 8: '\\b', 9: '\\t', 12: '\\f', 13: '\\r' };
  return short[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
}

function skipWhitespace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== NEWLINE && c !== CR && c !== TAB) break;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

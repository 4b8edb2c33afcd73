import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './char-codes.js';

/**
 * Splits a stream of text into the JSON objects it holds, as Redshift's JSON
 * COPY reads a file: one object per line, or objects pretty-printed over many
 * lines, or several on one line; CRLF and a trailing newline or none.
 *
 * The common case, one object per line, costs one JSON.parse per line and no
 * character scanning; only other layouts are scanned for the closing brace,
 * and that scan resumes across chunks instead of starting over.
 */
export type ObjectSink = (value: unknown, line: number) => void;

/** Where a reading that goes on past bad input reports it: the line it starts on, why, and its text. */
export type RejectSink = (line: number, reason: string, raw: string) => void;

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}


export class JsonObjectSplitter {
  private buf = '';
  /** Line number of buf[0]. */
  private line: number;
  /** An object's closing brace is being looked for; it starts at buf[objectStart]. */
  private scanning = false;
  private objectStart = 0;
  private resumeAt = 0;
  private depth = 0;
  private inString = false;

  /**
   * Without `reject`, bad input throws JsonSyntaxError. With it, each bad
   * piece is reported and skipped, as Redshift's MAXERROR skips rows: a line
   * that is not an object (or a whole array), or an object that does not parse.
   */
  constructor(
    private readonly sink: ObjectSink,
    firstLine = 1,
    private readonly reject?: RejectSink,
  ) {
    this.line = firstLine;
  }

  push(text: string): void {
    if (this.buf.length > 0 && !this.scanning) {
      // Finish the line left over from the previous chunk on its own, rather
      // than joining the whole new chunk to it (which copies the chunk).
      const newline = text.indexOf('\n');
      if (newline === -1) {
        this.buf += text;
        return;
      }
      this.buf += text.slice(0, newline + 1);
      this.drain(false);
      if (this.buf.length > 0) {
        this.buf += text.slice(newline + 1);
        this.drain(false);
        return;
      }
      text = text.slice(newline + 1);
    }
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.drain(false);
  }

  /** The input is complete: whatever is left must be whitespace. */
  end(): void {
    this.drain(true);
    if (this.scanning || this.buf.trim() !== '') {
      const reason = 'unexpected end of file inside a JSON object';
      if (!this.reject) throw new JsonSyntaxError(this.line, reason);
      this.reject(this.line, reason, this.buf.trim());
      this.buf = '';
      this.scanning = false;
    }
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    let pos = 0;
    for (;;) {
      if (!this.scanning) {
        pos = this.skipWhitespace(buf, pos);
        if (pos >= buf.length) break;
        const first = buf.charCodeAt(pos);
        const newline = buf.indexOf('\n', pos);
        if (first !== OPEN_BRACE && !(this.reject && first === OPEN_BRACKET)) {
          if (!this.reject) throw new JsonSyntaxError(this.line, `expected a JSON object, found ${describeStart(buf, pos)}`);
          if (newline === -1 && !final) break;
          const end = newline === -1 ? buf.length : newline;
          this.reject(this.line, `expected a JSON object, found ${describeStart(buf, pos)}`, buf.slice(pos, end).trimEnd());
          pos = end;
          continue;
        }
        if (newline === -1 && !final) break; // wait for the rest of the line
        const last = lastNonSpace(buf, pos, newline === -1 ? buf.length : newline);
        if (first === OPEN_BRACE && buf.charCodeAt(last) === CLOSE_BRACE) {
          const text = buf.slice(pos, last + 1);
          const value = tryParse(text);
          if (value !== undefined) {
            this.sink(value, this.line);
            pos = last + 1;
            continue;
          }
          if (this.reject) {
            // One object per line, and this one is broken: the line is the row to skip.
            this.reject(this.line, `invalid JSON: ${parseError(text)}`, text);
            pos = last + 1;
            continue;
          }
        }
        this.scanning = true;
        this.objectStart = pos;
        this.resumeAt = pos;
        this.depth = 0;
        this.inString = false;
      }
      const end = this.scanToObjectEnd(buf);
      if (end === -1) break;
      this.scanning = false;
      if (end === BROKEN_STRING) {
        // A line break inside a string: not JSON; the object ends with its line.
        const text = buf.slice(this.objectStart, this.resumeAt);
        this.reject!(this.line, 'invalid JSON: a string runs past the end of its line', text);
        this.line += countNewlines(text);
        pos = this.resumeAt;
        continue;
      }
      const objectText = buf.slice(this.objectStart, end);
      let value: unknown;
      try {
        value = JSON.parse(objectText);
      } catch (error) {
        if (!this.reject) throw new JsonSyntaxError(this.line, `invalid JSON: ${(error as Error).message}`);
        this.reject(this.line, `invalid JSON: ${(error as Error).message}`, objectText);
        value = REJECTED;
      }
      if (value !== REJECTED) {
        if (Array.isArray(value) && this.reject) this.reject(this.line, `expected a JSON object, found ${describeStart(objectText, 0)}`, objectText);
        else this.sink(value, this.line);
      }
      this.line += countNewlines(objectText);
      pos = end;
    }
    if (this.scanning) {
      // Keep only the unfinished object, and where its scan stopped.
      this.buf = buf.slice(this.objectStart);
      this.resumeAt -= this.objectStart;
      this.objectStart = 0;
    } else {
      this.buf = pos >= buf.length ? '' : buf.slice(pos);
    }
  }

  /** Index just past the object's closing brace, -1 if it has not arrived yet, or BROKEN_STRING. */
  private scanToObjectEnd(buf: string): number {
    let { depth, inString } = this;
    let i = this.resumeAt;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inString = false;
        else if (c === NEWLINE && this.reject) {
          this.resumeAt = i;
          return BROKEN_STRING;
        }
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    // i is one past the end when the chunk ended on a backslash: the escaped
    // character is the next chunk's first, and resuming at i skips it as it should.
    this.resumeAt = i;
    this.depth = depth;
    this.inString = inString;
    return -1;
  }

  private skipWhitespace(buf: string, pos: number): number {
    for (; pos < buf.length; pos++) {
      const c = buf.charCodeAt(pos);
      if (c === NEWLINE) this.line++;
      else if (c !== 32 && c !== 13 && c !== 9) break;
    }
    return pos;
  }
}

const REJECTED = Symbol('rejected');
const BROKEN_STRING = -2;

function parseError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function lastNonSpace(buf: string, from: number, to: number): number {
  let i = to - 1;
  while (i > from && (buf.charCodeAt(i) === 13 || buf.charCodeAt(i) === 32 || buf.charCodeAt(i) === 9)) i--;
  return i;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function describeStart(buf: string, pos: number): string {
  const c = buf[pos]!;
  if (c === '[') return 'an array (each object must stand on its own, not inside [ ])';
  return `"${buf.slice(pos, pos + 20).split('\n')[0]}"`;
}

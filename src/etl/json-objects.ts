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

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

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

  constructor(
    private readonly sink: ObjectSink,
    firstLine = 1,
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
      throw new JsonSyntaxError(this.line, 'unexpected end of file inside a JSON object');
    }
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    let pos = 0;
    for (;;) {
      if (!this.scanning) {
        pos = this.skipWhitespace(buf, pos);
        if (pos >= buf.length) break;
        if (buf.charCodeAt(pos) !== OPEN_BRACE) {
          throw new JsonSyntaxError(this.line, `expected a JSON object, found ${describeStart(buf, pos)}`);
        }
        const newline = buf.indexOf('\n', pos);
        if (newline === -1 && !final) break; // wait for the rest of the line
        const last = lastNonSpace(buf, pos, newline === -1 ? buf.length : newline);
        if (buf.charCodeAt(last) === CLOSE_BRACE) {
          const value = tryParse(buf.slice(pos, last + 1));
          if (value !== undefined) {
            this.sink(value, this.line);
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
      const objectText = buf.slice(this.objectStart, end);
      let value: unknown;
      try {
        value = JSON.parse(objectText);
      } catch (error) {
        throw new JsonSyntaxError(this.line, `invalid JSON: ${(error as Error).message}`);
      }
      this.sink(value, this.line);
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

  /** Index just past the object's closing brace, or -1 if it has not arrived yet. */
  private scanToObjectEnd(buf: string): number {
    let { depth, inString } = this;
    let i = this.resumeAt;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inString = false;
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

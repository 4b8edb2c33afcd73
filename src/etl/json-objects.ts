import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './char-codes.js';
import { readJsonValue } from './json-reading.js';
import { EXIT, SparkifyError } from '../sparkify-error.js';

/**
 * Splits a stream of text into the JSON objects it holds, as Redshift's JSON
 * COPY reads a file: one object per line, or objects pretty-printed over many
 * lines, or several on one line; CRLF and a trailing newline or none.
 *
 * The common case, one object per line, costs one JSON.parse per line and no
 * character scanning; only other layouts are scanned for the closing brace,
 * and that scan resumes across chunks instead of starting over.
 *
 * A bad object costs only itself. It ends where its braces balance or
 * before the next line starting with `{` (at column 1), whichever comes
 * first: a line cut in the middle ends with its line. While no two objects
 * have shared a line, a bad one takes the rest of its line (up to that next
 * one) with it. Once a good object has held a line starting with `{` (a
 * nested value at column 1), such a line no longer ends a bad one. Its
 * reason names the line and column (in characters) of what is wrong.
 */
export type ObjectSink = (value: unknown, line: number) => void;

/** Where a reading that goes on past bad input reports it: the line it starts on, why, and its text. */
export type RejectSink = (line: number, reason: string, raw: string) => void;

/** Text that is not JSON objects; the caller adds the file. Bad input: exit code 1. */
export class JsonSyntaxError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'JsonSyntaxError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Where a reading starts, and what the objects before it (read on the byte path) showed. */
export interface ReadSoFar {
  line: number;
  /** The column (in characters) of the first character. */
  column: number;
  /** The line the last object ended on, 0 for none. */
  lastEndLine: number;
  /** Two objects have shared a line. */
  sharedLines: boolean;
  /** An object had a line inside it starting with `{` (a nested value at column 1). */
  braceLinesInside: boolean;
}

export const FILE_START: ReadSoFar = { line: 1, column: 1, lastEndLine: 0, sharedLines: false, braceLinesInside: false };

export class JsonObjectSplitter {
  private buf = '';
  /** The line of the next character to read (while an object is scanned, of its first). */
  private line: number;
  /** The column of buf[0]. */
  private column: number;
  private lastEndLine: number;
  private sharedLines: boolean;
  private braceLinesInside: boolean;
  /** An object's closing brace is being looked for; it starts at buf[objectStart]. */
  private scanning = false;
  private objectStart = 0;
  private resumeAt = 0;
  private depth = 0;
  private inString = false;
  /** The object scanned is bad: only the line where the next object starts is looked for. */
  private bad = false;
  /** Where the last scan stopped: just past the closing brace ('balanced'), or at a line starting with `{` ('brace-line'). */
  private stoppedAt = 0;
  /** Where a bad object would be cut, once it was too long to read again with each chunk; -1 for none. */
  private cutAt = -1;

  /**
   * Without `reject`, bad input throws JsonSyntaxError. With it, each bad
   * piece is reported and skipped, as Redshift's MAXERROR skips rows: a line
   * that is not an object (or a whole array), or an object that does not parse.
   */
  constructor(
    private readonly sink: ObjectSink,
    private readonly reject?: RejectSink,
    from: ReadSoFar = FILE_START,
  ) {
    ({ line: this.line, column: this.column, lastEndLine: this.lastEndLine, sharedLines: this.sharedLines, braceLinesInside: this.braceLinesInside } = from);
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
          if (newline === -1 && !final) break; // its line, whole, is the row to skip
          const reason = `${this.where(buf, pos, pos)}: expected a JSON object but found ${describeStart(buf, pos)}`;
          if (!this.reject) throw new JsonSyntaxError(this.line, reason);
          const end = newline === -1 ? buf.length : newline;
          this.reject(this.line, reason, buf.slice(pos, end).trimEnd());
          pos = end;
          continue;
        }
        if (newline === -1 && !final) break; // wait for the rest of the line
        if (this.line === this.lastEndLine) this.sharedLines = true;
        const last = lastNonSpace(buf, pos, newline === -1 ? buf.length : newline);
        if (first === OPEN_BRACE && buf.charCodeAt(last) === CLOSE_BRACE) {
          const value = tryParse(buf.slice(pos, last + 1));
          if (value !== undefined) {
            this.sink(value, this.line);
            this.lastEndLine = this.line;
            pos = last + 1;
            continue;
          }
        }
        this.scanning = true;
        this.bad = false;
        this.cutAt = -1;
        this.objectStart = pos;
        this.resumeAt = pos;
        this.depth = 0;
        this.inString = false;
      }
      const stop = this.scan(buf, final);
      if (stop === 'more') break;
      const start = this.objectStart;
      if (stop === 'balanced') {
        const end = this.stoppedAt;
        const value = tryParse(buf.slice(start, end));
        if (value !== undefined) {
          pos = this.accept(value, buf, end);
        } else if (this.cutAt >= 0) {
          pos = this.refuse(buf, this.cutAt, 'line');
        } else if (!this.sharedLines && !this.braceLinesInside) {
          // Bad, in a file of objects on lines of their own: the rest of its line goes with it.
          this.bad = true;
          this.resumeAt = end;
        } else {
          pos = this.refuse(buf, end, 'file');
        }
      } else if (stop === 'brace-line') {
        const at = this.stoppedAt;
        if (!this.bad) {
          // A good object may hold such a line (a nested value at column 1): the object is cut only if it is bad.
          const reading = readJsonValue(buf, start);
          if (reading.kind === 'value') {
            const value = tryParse(buf.slice(start, reading.end));
            if (value !== undefined) {
              pos = this.accept(value, buf, reading.end);
              continue;
            }
          } else if (reading.kind === 'cut' && !final) {
            if (buf.length - start < READ_AGAIN_UP_TO) {
              this.resumeAt = at - 1; // read it again with more text
              break;
            }
            // Not to be read again and again as the chunks come: its braces, or the file's end, decide.
            this.cutAt = at;
            this.resumeAt = at;
            continue;
          }
        }
        pos = this.refuse(buf, at, 'line');
      } else {
        // 'end': the text is all there, and it ends inside the object.
        pos = this.cutAt >= 0 ? this.refuse(buf, this.cutAt, 'line') : this.refuse(buf, buf.length, 'file');
      }
    }
    // Keep only what is unread: the object being scanned, or what follows the last one.
    const keep = this.scanning ? this.objectStart : pos;
    if (keep > 0) {
      this.column = this.columnAt(buf, keep);
      this.resumeAt -= keep;
      if (this.cutAt >= 0) this.cutAt -= keep;
      this.objectStart = 0;
    }
    this.buf = keep >= buf.length ? '' : keep > 0 ? buf.slice(keep) : buf;
  }

  /** Scans the object on from resumeAt, and says where it stopped (see ScanStop). */
  private scan(buf: string, final: boolean): ScanStop {
    let { depth, inString } = this;
    const { bad } = this;
    const stopAtBraceLines = !this.braceLinesInside && this.cutAt < 0;
    let i = this.resumeAt;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === NEWLINE) {
        // No string holds a line break: the object is bad, and its string ends here.
        inString = false;
        if (!stopAtBraceLines) continue;
        if (i + 1 >= buf.length) {
          if (final) continue;
          break; // the next line's first character decides
        }
        if (buf.charCodeAt(i + 1) === OPEN_BRACE) {
          this.stoppedAt = i + 1;
          this.resumeAt = i;
          this.depth = depth;
          this.inString = false;
          return 'brace-line';
        }
      } else if (bad) {
        continue;
      } else if (inString) {
        if (c === BACKSLASH) {
          if (i + 1 >= buf.length) break; // read it with the escaped character
          if (buf.charCodeAt(i + 1) !== NEWLINE) i++;
        } else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          this.stoppedAt = i + 1;
          return 'balanced';
        }
      }
    }
    this.resumeAt = i;
    this.depth = depth;
    this.inString = inString;
    return final ? 'end' : 'more';
  }

  /** Gives the object buf[objectStart, end) to the sink (an array is refused); returns where reading goes on. */
  private accept(value: unknown, buf: string, end: number): number {
    this.scanning = false;
    const start = this.objectStart;
    const lines = countNewlines(buf, start, end);
    if (lines > 0 && buf.slice(start, end).includes('\n{')) this.braceLinesInside = true;
    if (Array.isArray(value) && this.reject) {
      this.reject(this.line, `${this.where(buf, start, start)}: expected a JSON object but found ${describeStart(buf, start)}`, buf.slice(start, end));
    } else this.sink(value, this.line);
    this.line += lines;
    this.lastEndLine = this.line;
    return end;
  }

  /** Refuses the object buf[objectStart, end), whose text ends with a line or the file; returns where reading goes on. */
  private refuse(buf: string, end: number, endsWith: 'line' | 'file'): number {
    this.scanning = false;
    const text = buf.slice(this.objectStart, end);
    const reading = readJsonValue(text);
    let reason: string;
    const start = this.objectStart;
    if (reading.kind === 'error') reason = `${this.where(buf, start, start + reading.at)}: expected ${reading.expected} but found ${reading.found}`;
    else if (reading.kind === 'cut') {
      // Where the text stops: just past its last character that is not whitespace.
      reason = `${this.where(buf, start, start + endOfContent(text))}: expected ${reading.expected} but found the end of the ${endsWith}`;
    } else {
      const at = skipSpaces(text, reading.end);
      reason = `${this.where(buf, start, start + at)}: expected the end of the ${endsWith} but found ${describeStart(text, at)}`;
    }
    if (!this.reject) throw new JsonSyntaxError(this.line, reason);
    this.reject(this.line, reason, text.trim());
    this.line += countNewlines(text, 0, text.length);
    return end;
  }

  /** "line 5, column 12": where buf[at] is, reading from buf[from] on this.line. */
  private where(buf: string, from: number, at: number): string {
    return `line ${this.line + countNewlines(buf, from, at)}, column ${this.columnAt(buf, at)}`;
  }

  /** The column (in characters, from 1) of buf[at]. */
  private columnAt(buf: string, at: number): number {
    const newline = at > 0 ? buf.lastIndexOf('\n', at - 1) : -1;
    return newline === -1 ? this.column + characters(buf, 0, at) : 1 + characters(buf, newline + 1, at);
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

/**
 * Where a scan of an object stopped: its braces balance (stoppedAt is just
 * past the closing one); at a line starting with `{` (stoppedAt is its
 * start); it needs more text; or the text is all there and ends inside it.
 */
type ScanStop = 'balanced' | 'brace-line' | 'more' | 'end';

/** How long (in UTF-16 units) an object whose end is in doubt is read again from its start as more text comes. */
export const READ_AGAIN_UP_TO = 1 << 20;

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

function isSpace(c: number): boolean {
  return c === 32 || c === NEWLINE || c === 13 || c === 9;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Just past the last character of text that is not whitespace. */
function endOfContent(text: string): number {
  let i = text.length;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Characters (code points) in text[from, to): a surrogate pair is one. */
function characters(text: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) {
      const before = text.charCodeAt(i - 1);
      if (before >= 0xd800 && before <= 0xdbff) n--;
    }
  }
  return n;
}

function describeStart(buf: string, pos: number): string {
  const c = buf[pos]!;
  if (c === '[') return 'an array (each object must stand on its own, not inside [ ])';
  return `"${buf.slice(pos, pos + 20).split('\n')[0]}"`;
}

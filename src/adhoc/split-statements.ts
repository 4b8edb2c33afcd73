/**
 * A script of SQL statements cut at each `;` that ends one, as psql cuts
 * what it sends: a `;` inside a 'string' (E'…' with its backslash
 * escapes), a "quoted name", a $tag$ dollar quote $tag$, a -- or /* … *\/
 * comment (nested, as PostgreSQL nests them) or parentheses ends nothing.
 * Unlike psql, a SQL-standard function body (BEGIN ATOMIC … END) is not
 * kept whole: write it in dollar quotes.
 */

export interface ScriptStatement {
  /** The statement as written, from its first token to its last (comments inside and after it kept), without the `;`. */
  text: string;
  /** Where its first token is in the script: the offset (UTF-16 code units, as JS strings count), and its 1-based line and column (columns count characters). */
  offset: number;
  line: number;
  column: number;
  /** A `;` ended it (the last statement of a script may have none). */
  terminated: boolean;
}

export interface SplitOptions {
  /**
   * A backslash escapes the next character in an ordinary '…' string too
   * (standard_conforming_strings off, as on Redshift); otherwise only in E'…'.
   */
  backslashEscapes?: boolean;
}

/** Where the script ends: in the open (the last statement can be run as it is), or inside a string, a quoted name, a dollar quote or a comment. */
export type ScriptEnd = 'open' | 'string' | 'identifier' | 'dollar-quote' | 'comment';

export interface ScannedScript {
  statements: ScriptStatement[];
  end: ScriptEnd;
  /** After the last statement, nothing but blanks and comments: a statement ended with `;` is the script's last word. */
  endsWithTerminator: boolean;
}

/** The statements of a script, in order; blank statements (`;;`, or only comments) are left out. */
export function splitStatements(script: string, options: SplitOptions = {}): ScriptStatement[] {
  return scanScript(script, options).statements;
}

/**
 * pgcli's rule for Enter in an editor: the script ends with a statement's
 * closing `;` (blanks and complete comments may follow), outside any
 * string, quote or comment.
 */
export function isCompleteScript(script: string, options: SplitOptions = {}): boolean {
  const scanned = scanScript(script, options);
  return scanned.end === 'open' && scanned.endsWithTerminator;
}

const isIdentStart = (c: string) => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

export function scanScript(script: string, options: SplitOptions = {}): ScannedScript {
  const statements: ScriptStatement[] = [];
  const n = script.length;
  let i = 0;
  /** The first and the end of the current statement's tokens (-1: none yet). */
  let first = -1;
  let last = -1;
  let depth = 0;
  let end: ScriptEnd = 'open';
  const lines = new LineCounter(script);

  const close = (terminated: boolean) => {
    if (first >= 0) {
      const { line, column } = lines.at(first);
      statements.push({ text: script.slice(first, last), offset: first, line, column, terminated });
    }
    first = -1;
    last = -1;
    depth = 0;
  };
  const token = (from: number, to: number) => {
    if (first < 0) first = from;
    last = to;
  };

  while (i < n) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if (c === '-' && next === '-') {
      const eol = script.indexOf('\n', i);
      const to = eol < 0 ? n : eol;
      if (first >= 0) last = to;
      i = to;
    } else if (c === '/' && next === '*') {
      const to = blockCommentEnd(script, i);
      if (to < 0) {
        end = 'comment';
        if (first >= 0) last = n;
        i = n;
      } else {
        if (first >= 0) last = to;
        i = to;
      }
    } else if (c === ';' && depth === 0) {
      close(true);
      i++;
    } else if (c === "'") {
      const to = quotedEnd(script, i, "'", options.backslashEscapes ?? false);
      token(i, to < 0 ? n : to);
      if (to < 0) end = 'string';
      i = to < 0 ? n : to;
    } else if (c === '"') {
      const to = quotedEnd(script, i, '"', false);
      token(i, to < 0 ? n : to);
      if (to < 0) end = 'identifier';
      i = to < 0 ? n : to;
    } else if (c === '$' && !/[0-9]/.test(next ?? '')) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(script)?.[0];
      if (tag) {
        const closing = script.indexOf(tag, i + tag.length);
        const to = closing < 0 ? n : closing + tag.length;
        token(i, to);
        if (closing < 0) end = 'dollar-quote';
        i = to;
      } else {
        token(i, i + 1);
        i++;
      }
    } else if (isIdentStart(c)) {
      let to = i + 1;
      while (to < n && isIdentPart(script[to]!)) to++;
      const word = script.slice(i, to);
      // E'…' takes backslash escapes; U&'…', B'…', X'…', N'…' are ordinary strings, U&"…" a quoted name.
      if (script[to] === "'" && /^[eE]$/.test(word)) {
        const closing = quotedEnd(script, to, "'", true);
        token(i, closing < 0 ? n : closing);
        if (closing < 0) end = 'string';
        i = closing < 0 ? n : closing;
      } else {
        token(i, to);
        i = to;
      }
    } else {
      if (c === '(') depth++;
      else if (c === ')' && depth > 0) depth--;
      token(i, i + 1);
      i++;
    }
  }
  const endsWithTerminator = first < 0 && statements.at(-1)?.terminated === true;
  close(false);
  return { statements, end, endsWithTerminator };
}

/** The offset just past the quote that closes the one at `from` (a doubled quote stands for itself), or -1 when none does. */
function quotedEnd(script: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < script.length) {
    const c = script[i]!;
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (script[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return -1;
}

/** The offset just past the `*\/` that closes the comment at `from`, counting nested ones, or -1. */
function blockCommentEnd(script: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < script.length) {
    if (script[i] === '/' && script[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (script[i] === '*' && script[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** Line and column of offsets met in increasing order, counted once over the script. */
class LineCounter {
  private at_ = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly script: string) {}

  /** The 1-based line and column of an offset; columns count characters (a surrogate pair is one). */
  at(offset: number): { line: number; column: number } {
    if (offset < this.at_) {
      this.at_ = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    for (let i = this.at_; i < offset; i++) {
      if (this.script[i] === '\n') {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.at_ = offset;
    return { line: this.line, column: characterCount(this.script, this.lineStart, offset) + 1 };
  }
}

/** How many characters (code points) lie in [from, to). */
export function characterCount(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    // The low half of a surrogate pair adds nothing.
    if (!(code >= 0xdc00 && code <= 0xdfff && i > from && isHighSurrogate(text.charCodeAt(i - 1)))) count++;
  }
  return count;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

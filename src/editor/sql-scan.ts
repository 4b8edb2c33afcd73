/**
 * What each character of a SQL text is, as PostgreSQL (and Redshift) read
 * it: code, or inside a string literal ('…', E'…' with backslash escapes,
 * $tag$…$tag$), a quoted identifier ("…") or a comment (-- to the line's end,
 * /* … *\/ nested). The editor asks it whether a `;` ends a statement and
 * whether the cursor is in a name it may complete.
 */
export type CharKind = 'code' | 'string' | 'quoted' | 'comment';

export interface Scan {
  /** The kind of each character of the text. */
  kinds: CharKind[];
  /** What the text ends inside of, when a string, quoted name or comment is left open. */
  open: Exclude<CharKind, 'code'> | null;
}

const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export function scanSql(text: string): Scan {
  const kinds: CharKind[] = new Array<CharKind>(text.length);
  let i = 0;
  const mark = (from: number, to: number, kind: CharKind) => {
    for (let k = from; k < to; k++) kinds[k] = kind;
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      const to = end < 0 ? text.length : end;
      mark(i, to, 'comment');
      if (end < 0) return { kinds, open: 'comment' };
      i = to;
    } else if (c === '/' && next === '*') {
      const to = blockCommentEnd(text, i);
      mark(i, to ?? text.length, 'comment');
      if (to === null) return { kinds, open: 'comment' };
      i = to;
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(text[i - 1]!) && (i < 2 || !IDENT_CHAR.test(text[i - 2]!));
      const to = quotedEnd(text, i, "'", escapes);
      mark(i, to ?? text.length, 'string');
      if (to === null) return { kinds, open: 'string' };
      i = to;
    } else if (c === '"') {
      const to = quotedEnd(text, i, '"', false);
      mark(i, to ?? text.length, 'quoted');
      if (to === null) return { kinds, open: 'quoted' };
      i = to;
    } else if (c === '$' && (i === 0 || !IDENT_CHAR.test(text[i - 1]!))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
      if (!tag) {
        kinds[i] = 'code';
        i += 1;
        continue;
      }
      const close = text.indexOf(tag[0], i + tag[0].length);
      const to = close < 0 ? null : close + tag[0].length;
      mark(i, to ?? text.length, 'string');
      if (to === null) return { kinds, open: 'string' };
      i = to;
    } else {
      kinds[i] = 'code';
      i += 1;
    }
  }
  return { kinds, open: null };
}

/** The index after the closing quote of the literal or name opened at `start` ('' or "" doubled inside), or null if it stays open. */
function quotedEnd(text: string, start: number, quote: string, backslashEscapes: boolean): number | null {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  return null;
}

/** The index after the `*\/` that closes the comment opened at `start` (comments nest), or null. */
function blockCommentEnd(text: string, start: number): number | null {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth += 1;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return null;
}

/**
 * pgcli's rule for Enter: whether the text ends, but for whitespace, with a
 * `;` that closes a statement. A `;` in a string or a comment does not
 * count, nor one after a comment, nor one that closes nothing (`;;`).
 */
export function endsWithStatementEnd(text: string): boolean {
  const { kinds, open } = scanSql(text);
  if (open) return false;
  let last = text.length - 1;
  while (last >= 0 && /\s/.test(text[last]!)) last -= 1;
  if (last < 0 || text[last] !== ';' || kinds[last] !== 'code') return false;
  // The statement it closes holds something besides whitespace and comments.
  for (let i = last - 1; i >= 0; i--) {
    if (kinds[i] === 'comment' || /\s/.test(text[i]!)) continue;
    return !(text[i] === ';' && kinds[i] === 'code');
  }
  return false;
}

/** The text with string literals and comments blanked out (spaces, line breaks kept), names and code as they are. */
export function blankLiteralsAndComments(text: string): string {
  const { kinds } = scanSql(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += (kinds[i] === 'string' || kinds[i] === 'comment') && c !== '\n' ? ' ' : c;
  }
  return out;
}

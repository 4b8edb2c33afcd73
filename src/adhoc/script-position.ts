import { characterCount, type ScriptStatement } from './split-statements.js';

/** A place in a script: its offset (UTF-16 code units) and its 1-based line and column (columns count characters). */
export interface ScriptPosition {
  offset: number;
  line: number;
  column: number;
}

/**
 * Where in its script the server's error position points. PostgreSQL gives
 * it as the 1-based character (not byte) of the text it was sent, which is
 * `sentBefore` (the cursor's DECLARE) followed by the statement; the place
 * is counted on from the statement's own line and column. Null when it
 * points outside the statement.
 */
export function scriptPositionOf(statement: ScriptStatement, serverPosition: number, sentBefore = ''): ScriptPosition | null {
  let characters = serverPosition - 1 - characterCount(sentBefore);
  if (!Number.isInteger(characters) || characters < 0) return null;
  const { text } = statement;
  let offset = 0;
  while (characters > 0 && offset < text.length) {
    const pair = /[\ud800-\udbff]/.test(text[offset]!) && /[\udc00-\udfff]/.test(text[offset + 1] ?? '');
    offset += pair ? 2 : 1;
    characters--;
  }
  if (characters > 0) return null;
  const before = text.slice(0, offset);
  const newline = before.lastIndexOf('\n');
  if (newline < 0) return { offset: statement.offset + offset, line: statement.line, column: statement.column + characterCount(before) };
  const lines = before.split('\n').length - 1;
  return { offset: statement.offset + offset, line: statement.line + lines, column: characterCount(before, newline + 1) + 1 };
}

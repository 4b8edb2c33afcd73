import { characterCount, LineCounter, type ScriptStatement } from './split-statements.js';

/** A place in a script: its offset (UTF-16 code units) and its 1-based line and column (columns count characters). */
export interface ScriptPosition {
  offset: number;
  line: number;
  column: number;
}

/** The line and column of an offset of the script. */
export function positionAt(script: string, offset: number): ScriptPosition {
  return { offset, ...new LineCounter(script).at(offset) };
}

/**
 * Where in the script the server's error position points. PostgreSQL gives
 * it as the 1-based character (not byte) of the text it was sent, which is
 * `sentBefore` (the cursor's DECLARE) followed by the statement; null when it
 * points outside the statement.
 */
export function scriptPositionOf(script: string, statement: ScriptStatement, serverPosition: number, sentBefore = ''): ScriptPosition | null {
  let characters = serverPosition - 1 - characterCount(sentBefore);
  if (!Number.isInteger(characters) || characters < 0) return null;
  let offset = 0;
  const { text } = statement;
  while (characters > 0 && offset < text.length) {
    const pair = /[\ud800-\udbff]/.test(text[offset]!) && /[\udc00-\udfff]/.test(text[offset + 1] ?? '');
    offset += pair ? 2 : 1;
    characters--;
  }
  if (characters > 0) return null;
  return positionAt(script, statement.offset + offset);
}

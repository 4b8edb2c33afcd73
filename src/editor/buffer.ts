/**
 * The text of a multi-line editor as lines and a cursor, and the edits on it.
 * Every operation returns a new buffer; none touches the one it is given.
 * Columns count UTF-16 code units, but the cursor never stops inside a
 * surrogate pair (an emoji): it moves, and deletes, a whole character.
 */
export interface Cursor {
  line: number;
  column: number;
}

export interface EditorBuffer {
  readonly lines: readonly string[];
  readonly cursor: Cursor;
  /** The column ↑↓ aim for, kept while moving through shorter lines; null after any other move or edit. */
  readonly goal: number | null;
}

export const EMPTY_BUFFER: EditorBuffer = { lines: [''], cursor: { line: 0, column: 0 }, goal: null };

/** Line breaks as typed or pasted (CR LF, CR, LF) become one; other control characters but tab are dropped. */
export function normalizeTyped(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** A buffer holding `text`, the cursor at its end (or at `offset`). */
export function bufferOf(text: string, offset = text.length): EditorBuffer {
  const lines = normalizeTyped(text).split('\n');
  return { lines, cursor: cursorAt(lines, offset), goal: null };
}

export function textOf(buffer: EditorBuffer): string {
  return buffer.lines.join('\n');
}

/** The cursor as an index into textOf(buffer). */
export function offsetOf({ lines, cursor }: EditorBuffer): number {
  let offset = cursor.column;
  for (let i = 0; i < cursor.line; i++) offset += lines[i]!.length + 1;
  return offset;
}

/** The line and column of an index into the lines joined by \n (clamped to the text). */
export function cursorAt(lines: readonly string[], offset: number): Cursor {
  let rest = Math.max(0, offset);
  for (let line = 0; line < lines.length; line++) {
    const length = lines[line]!.length;
    if (rest <= length || line === lines.length - 1) return { line, column: Math.min(rest, length) };
    rest -= length + 1;
  }
  return { line: 0, column: 0 };
}

export function beforeCursor(buffer: EditorBuffer): string {
  return textOf(buffer).slice(0, offsetOf(buffer));
}

export function afterCursor(buffer: EditorBuffer): string {
  return textOf(buffer).slice(offsetOf(buffer));
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The column one character left of `column` (two code units across a surrogate pair). */
function previousColumn(line: string, column: number): number {
  if (column >= 2 && isLow(line.charCodeAt(column - 1)) && isHigh(line.charCodeAt(column - 2))) return column - 2;
  return Math.max(0, column - 1);
}

function nextColumn(line: string, column: number): number {
  if (column + 1 < line.length && isHigh(line.charCodeAt(column)) && isLow(line.charCodeAt(column + 1))) return column + 2;
  return Math.min(line.length, column + 1);
}

function withText(buffer: EditorBuffer, text: string, offset: number): EditorBuffer {
  const lines = text.split('\n');
  return { lines, cursor: cursorAt(lines, offset), goal: null };
}

/** Inserts typed or pasted text at the cursor (line breaks normalised), the cursor after it. */
export function insertText(buffer: EditorBuffer, typed: string): EditorBuffer {
  const text = normalizeTyped(typed);
  if (text === '') return buffer;
  const all = textOf(buffer);
  const at = offsetOf(buffer);
  return withText(buffer, all.slice(0, at) + text + all.slice(at), at + text.length);
}

export function newline(buffer: EditorBuffer): EditorBuffer {
  return insertText(buffer, '\n');
}

/** Deletes the character left of the cursor; at a line's start, joins the line to the one above. */
export function backspace(buffer: EditorBuffer): EditorBuffer {
  const { lines, cursor } = buffer;
  if (cursor.column === 0 && cursor.line === 0) return { ...buffer, goal: null };
  const all = textOf(buffer);
  const at = offsetOf(buffer);
  const from = cursor.column === 0 ? at - 1 : at - (cursor.column - previousColumn(lines[cursor.line]!, cursor.column));
  return withText(buffer, all.slice(0, from) + all.slice(at), from);
}

/** Deletes the character under the cursor; at a line's end, joins the next line to it. */
export function deleteForward(buffer: EditorBuffer): EditorBuffer {
  const { lines, cursor } = buffer;
  const line = lines[cursor.line]!;
  if (cursor.column === line.length && cursor.line === lines.length - 1) return { ...buffer, goal: null };
  const all = textOf(buffer);
  const at = offsetOf(buffer);
  const to = cursor.column === line.length ? at + 1 : at + (nextColumn(line, cursor.column) - cursor.column);
  return withText(buffer, all.slice(0, at) + all.slice(to), at);
}

const moved = (buffer: EditorBuffer, cursor: Cursor, goal: number | null = null): EditorBuffer => ({ lines: buffer.lines, cursor, goal });

/** One character left, to the end of the line above from a line's start. */
export function moveLeft(buffer: EditorBuffer): EditorBuffer {
  const { lines, cursor } = buffer;
  if (cursor.column > 0) return moved(buffer, { line: cursor.line, column: previousColumn(lines[cursor.line]!, cursor.column) });
  if (cursor.line > 0) return moved(buffer, { line: cursor.line - 1, column: lines[cursor.line - 1]!.length });
  return moved(buffer, cursor);
}

/** One character right, to the start of the line below from a line's end. */
export function moveRight(buffer: EditorBuffer): EditorBuffer {
  const { lines, cursor } = buffer;
  const line = lines[cursor.line]!;
  if (cursor.column < line.length) return moved(buffer, { line: cursor.line, column: nextColumn(line, cursor.column) });
  if (cursor.line < lines.length - 1) return moved(buffer, { line: cursor.line + 1, column: 0 });
  return moved(buffer, cursor);
}

/** To the line above or below, at the goal column or the line's end if shorter; at the first or last line, to its start or end. */
export function moveVertically(buffer: EditorBuffer, by: -1 | 1): EditorBuffer {
  const { lines, cursor } = buffer;
  const goal = buffer.goal ?? cursor.column;
  const line = cursor.line + by;
  if (line < 0) return moved(buffer, { line: 0, column: 0 });
  if (line >= lines.length) return moved(buffer, { line: cursor.line, column: lines[cursor.line]!.length });
  const target = lines[line]!;
  let column = Math.min(goal, target.length);
  // Not inside a surrogate pair.
  if (column > 0 && column < target.length && isLow(target.charCodeAt(column)) && isHigh(target.charCodeAt(column - 1))) column -= 1;
  return moved(buffer, { line, column }, goal);
}

export function moveHome(buffer: EditorBuffer): EditorBuffer {
  return moved(buffer, { line: buffer.cursor.line, column: 0 });
}

export function moveEnd(buffer: EditorBuffer): EditorBuffer {
  return moved(buffer, { line: buffer.cursor.line, column: buffer.lines[buffer.cursor.line]!.length });
}

/** Replaces the `count` characters before the cursor with `text` (a completion). */
export function replaceBeforeCursor(buffer: EditorBuffer, count: number, text: string): EditorBuffer {
  const all = textOf(buffer);
  const at = offsetOf(buffer);
  const from = Math.max(0, at - count);
  return withText(buffer, all.slice(0, from) + normalizeTyped(text) + all.slice(at), from + normalizeTyped(text).length);
}

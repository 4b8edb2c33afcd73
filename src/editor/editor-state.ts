import {
  afterCursor,
  backspace,
  beforeCursor,
  bufferOf,
  deleteForward,
  EMPTY_BUFFER,
  insertText,
  moveEnd,
  moveHome,
  moveLeft,
  moveRight,
  moveVertically,
  newline,
  replaceBeforeCursor,
  textOf,
  type EditorBuffer,
} from './buffer.js';
import { complete, type CatalogTable } from './completion.js';
import { startWalk, step, type HistoryWalk } from './history-walk.js';
import { endsWithStatementEnd } from './sql-scan.js';

/** The SQL editor: its text, where Ctrl-P/Ctrl-N are in the history, and what the last Tab listed. */
export interface EditorState {
  readonly buffer: EditorBuffer;
  readonly walk: HistoryWalk;
  /** The line under the editor after a Tab: the names that match, or that none does; null otherwise. */
  readonly listing: string | null;
}

export type EditorCommand =
  | { kind: 'type'; text: string }
  /** Enter: runs after a statement's closing `;`, a new line elsewhere. */
  | { kind: 'enter' }
  | { kind: 'newline' }
  | { kind: 'run' }
  | { kind: 'backspace' }
  | { kind: 'delete' }
  | { kind: 'left' }
  | { kind: 'right' }
  | { kind: 'up' }
  | { kind: 'down' }
  | { kind: 'home' }
  | { kind: 'end' }
  | { kind: 'complete' }
  | { kind: 'previous' }
  | { kind: 'next' };

export function initialEditor(history: readonly string[] = [], text = ''): EditorState {
  return { buffer: text ? bufferOf(text) : EMPTY_BUFFER, walk: startWalk(history, text), listing: null };
}

/** The walk started again on a history that changed (a statement ran), the text shown as the draft. */
export function withHistory(state: EditorState, history: readonly string[]): EditorState {
  return { ...state, walk: startWalk(history, textOf(state.buffer)) };
}

/** Typed or pasted text: its line breaks are new lines, a DEL or BS in it deletes, as keys arriving in one read do. */
function typeText(buffer: EditorBuffer, text: string): EditorBuffer {
  let next = buffer;
  for (const part of text.split(/([\u007f\b])/)) {
    if (part === '\u007f' || part === '\b') next = backspace(next);
    else next = insertText(next, part);
  }
  return next;
}

const MAX_LISTED = 40;

function listingOf(names: readonly string[], typed: string): string {
  if (names.length === 0) return `no table or column starts with ${JSON.stringify(typed)}`;
  const shown = names.slice(0, MAX_LISTED).join('  ');
  return names.length > MAX_LISTED ? `${shown}  … ${names.length - MAX_LISTED} more` : shown;
}

function completeAtCursor(state: EditorState, catalog: readonly CatalogTable[]): EditorState {
  const before = beforeCursor(state.buffer);
  const lineBefore = before.slice(before.lastIndexOf('\n') + 1);
  // At a line's start (or after its indent), Tab indents.
  if (/^\s*$/.test(lineBefore)) return { ...state, buffer: insertText(state.buffer, '  '), listing: null };
  const completion = complete(before, catalog, textOf(state.buffer));
  if (!completion) {
    const typed = /[A-Za-z0-9_$"]*$/.exec(before)![0];
    return { ...state, listing: listingOf([], typed) };
  }
  const buffer = replaceBeforeCursor(state.buffer, completion.replace, completion.text);
  return { ...state, buffer, listing: completion.candidates.length > 1 ? listingOf(completion.candidates, '') : null };
}

/**
 * The state after one command, and the text to run when the command runs
 * it (Enter after a closing `;`, or Ctrl-R, on a text that is not blank).
 */
export function applyCommand(state: EditorState, command: EditorCommand, catalog: readonly CatalogTable[] = []): { state: EditorState; run: string | null } {
  const edit = (buffer: EditorBuffer) => ({ state: { ...state, buffer, listing: null }, run: null });
  const { buffer } = state;
  switch (command.kind) {
    case 'type': {
      // Keys that arrive in one read and end with Enter (typed over a slow link, `tmux send-keys 'SELECT 1;' Enter`,
      // a paste that ends with its line break) end with Enter, as the Queries screen's prompt takes them; line breaks
      // before the last are new lines.
      const last = command.text.length > 1 ? /(\r\n|\r|\n)$/.exec(command.text) : null;
      if (!last) return edit(typeText(buffer, command.text));
      const typed = { ...state, buffer: typeText(buffer, command.text.slice(0, -last[0].length)) };
      return applyCommand(typed, { kind: 'enter' }, catalog);
    }
    case 'enter': {
      const runs = endsWithStatementEnd(beforeCursor(buffer)) && afterCursor(buffer).trim() === '';
      return runs ? { state: { ...state, listing: null }, run: textOf(buffer) } : edit(newline(buffer));
    }
    case 'newline':
      return edit(newline(buffer));
    case 'run':
      return { state: { ...state, listing: null }, run: textOf(buffer).trim() === '' ? null : textOf(buffer) };
    case 'backspace':
      return edit(backspace(buffer));
    case 'delete':
      return edit(deleteForward(buffer));
    case 'left':
      return edit(moveLeft(buffer));
    case 'right':
      return edit(moveRight(buffer));
    case 'up':
      return edit(moveVertically(buffer, -1));
    case 'down':
      return edit(moveVertically(buffer, 1));
    case 'home':
      return edit(moveHome(buffer));
    case 'end':
      return edit(moveEnd(buffer));
    case 'complete':
      return { state: completeAtCursor(state, catalog), run: null };
    case 'previous':
    case 'next': {
      const moved = step(state.walk, textOf(buffer), command.kind === 'previous' ? -1 : 1);
      if (!moved) return { state: { ...state, listing: null }, run: null };
      return { state: { buffer: bufferOf(moved.text), walk: moved.walk, listing: null }, run: null };
    }
  }
}

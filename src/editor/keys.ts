import type { EditorCommand } from './editor-state.js';

/** The flags of a key press, as Ink reports them (the fields of its Key the editor reads). */
export interface KeyPress {
  return: boolean;
  escape: boolean;
  backspace: boolean;
  delete: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  upArrow: boolean;
  downArrow: boolean;
  home: boolean;
  end: boolean;
  pageUp: boolean;
  pageDown: boolean;
  tab: boolean;
  shift: boolean;
  ctrl: boolean;
  meta: boolean;
}

/** The sequence of the Delete key (ESC [ 3 ~, with or without modifiers); the Backspace key sends DEL (0x7f). */
const isDeleteKey = (raw: string) => raw.startsWith('\u001b[3') && /^[~;$^]/.test(raw.slice(3));

const CTRL: Record<string, EditorCommand> = {
  r: { kind: 'run' },
  p: { kind: 'previous' },
  n: { kind: 'next' },
  a: { kind: 'home' },
  e: { kind: 'end' },
  d: { kind: 'delete' },
};

/**
 * What a key does in the editor, or 'escape', or null for a key it leaves
 * alone. Ink reports both the Backspace key (DEL, 0x7f) and the Delete key
 * (ESC [ 3 ~) as `key.delete`, with no input: `raw`, the sequence as it
 * came, tells them apart. Text that arrives as one input (a paste, keys
 * typed faster than read) is typed as it is: its line breaks are new
 * lines, but a last one is Enter (see applyCommand).
 */
export function commandOfKey(input: string, key: KeyPress, raw: string | null): EditorCommand | 'escape' | null {
  if (key.escape) return 'escape';
  if (key.return) return key.meta ? { kind: 'newline' } : { kind: 'enter' };
  if (key.backspace) return { kind: 'backspace' };
  if (key.delete) return raw !== null && isDeleteKey(raw) ? { kind: 'delete' } : { kind: 'backspace' };
  if (key.leftArrow) return { kind: 'left' };
  if (key.rightArrow) return { kind: 'right' };
  if (key.upArrow) return { kind: 'up' };
  if (key.downArrow) return { kind: 'down' };
  if (key.home) return { kind: 'home' };
  if (key.end) return { kind: 'end' };
  if (key.tab) return key.shift ? null : { kind: 'complete' };
  if (key.ctrl) return CTRL[input] ?? null;
  if (key.meta || key.pageUp || key.pageDown || input === '') return null;
  return { kind: 'type', text: input };
}

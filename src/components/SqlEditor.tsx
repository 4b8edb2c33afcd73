import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { CatalogTable } from '../editor/completion.js';
import { applyCommand, initialEditor, withHistory, type EditorState } from '../editor/editor-state.js';
import { commandOfKey } from '../editor/keys.js';
import { layoutRows, scrollTop, type EditorRow } from '../editor/layout.js';
import { useKeys } from '../hooks/use-keys.js';
import { useRawInput } from '../hooks/use-raw-input.js';

export interface SqlEditorProps {
  /** Whether keys reach the editor (the screen shows it and nothing else takes them). */
  isActive: boolean;
  /** Enter right after a statement's closing `;`, or Ctrl-R: the whole text. The text stays in the editor. */
  onRun: (text: string) => void;
  /** Esc: the screen decides (leave the editor, cancel a statement). */
  onEscape?: () => void;
  /** The statements run before, oldest first, for Ctrl-P / Ctrl-N; a new array after a run starts the walk again. */
  history?: readonly string[];
  /** The warehouse's tables and columns, for Tab. */
  catalog?: readonly CatalogTable[];
  /** The editor's width on screen, its border included. */
  width: number;
  /** The rows of text shown; longer texts scroll to keep the cursor in view. */
  height: number;
  /** The text it starts with. */
  initialText?: string;
}

const NO_HISTORY: readonly string[] = [];
const NO_CATALOG: readonly CatalogTable[] = [];
const HINT = 'Enter after ; or Ctrl-R runs · Tab completes · Ctrl-P/N history · Esc leaves';

interface Shown {
  editor: EditorState;
  /** The first row on screen. */
  top: number;
  /** The history the walk was made from. */
  history: readonly string[];
}

/**
 * A multi-line SQL editor (pgcli's keys): arrows, Home/End (Ctrl-A/E),
 * Backspace and Delete across lines, paste (its line breaks new lines, a
 * last one Enter), Enter after a closing `;` or
 * Ctrl-R runs, Tab completes names, Ctrl-P/Ctrl-N walk the history. The
 * state is kept in a ref as well as rendered: keys that arrive in one read
 * (a paste of keys, tmux send-keys) each act on the one before.
 */
export function SqlEditor({ isActive, onRun, onEscape, history = NO_HISTORY, catalog = NO_CATALOG, width, height, initialText = '' }: SqlEditorProps) {
  const raw = useRawInput(); // before useKeys: see useRawInput
  const [shown, setShown] = useState<Shown>(() => ({ editor: initialEditor(history, initialText), top: 0, history }));
  const latest = useRef(shown);
  const textWidth = Math.max(1, width - 4);

  useKeys((input, key) => {
    const command = commandOfKey(input, key, raw.current);
    if (command === 'escape') return onEscape?.();
    if (!command) return;
    let current = latest.current;
    if (current.history !== history) current = { ...current, editor: withHistory(current.editor, history), history };
    const { state, run } = applyCommand(current.editor, command, catalog);
    const rows = layoutRows(state.buffer.lines, state.buffer.cursor, textWidth);
    latest.current = { editor: state, top: scrollTop(rows, height, current.top), history: current.history };
    setShown(latest.current);
    if (run !== null) onRun(run);
  }, isActive);

  const { buffer, listing } = shown.editor;
  const rows = layoutRows(buffer.lines, buffer.cursor, textWidth);
  const top = scrollTop(rows, height, shown.top);
  const visible = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width}>
      <Box flexDirection="column" borderStyle="round" borderColor={isActive ? 'cyan' : 'gray'} paddingX={1} height={height + 2}>
        {visible.map((row) => (
          <Row key={`${row.line}:${row.from}`} text={buffer.lines[row.line]!} row={row} showCursor={isActive} />
        ))}
      </Box>
      <Text dimColor wrap="truncate-end">
        {listing ?? (isActive ? HINT : ' ')}
      </Text>
    </Box>
  );
}

/** The cursor's cell, drawn inverse as ANSI codes of its own: visible where colours are off (NO_COLOR, a pipe), as the ResultView's dim NULL is. */
const inverse = (text: string) => `\u001b[7m${text}\u001b[27m`;

/** A tab takes one cell, as every other character: the cursor's column is the text's. */
const cells = (text: string) => text.replace(/\t/g, ' ');

function Row({ text, row, showCursor }: { text: string; row: EditorRow; showCursor: boolean }) {
  if (row.cursor === null || !showCursor) return <Text>{cells(text.slice(row.from, row.to)) || ' '}</Text>;
  const at = row.cursor;
  const end = at < row.to && /[\ud800-\udbff]/.test(text[at]!) ? at + 2 : at + 1;
  const under = at < row.to ? cells(text.slice(at, end)) : ' ';
  return (
    <Text>
      {cells(text.slice(row.from, at))}
      {inverse(under)}
      {cells(text.slice(Math.min(end, row.to), row.to))}
    </Text>
  );
}

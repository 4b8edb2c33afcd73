import { Box, Text } from 'ink';
import { useState } from 'react';
import { leadingWords, type ScriptStatement } from '../adhoc/index.js';
import { EXPORT_PROMPT_LINES } from '../components/ExportPrompt.js';
import { columnOffset, pageOffset, resultMove, type PageMove } from '../components/ResultView.js';
import { SqlEditor } from '../components/SqlEditor.js';
import { SQL_RESULT_CHROME_LINES, SqlRunView } from '../components/SqlRunView.js';
import { formatNumber } from '../format/numbers.js';
import type { AdhocHandle } from '../hooks/use-adhoc.js';
import { useExport } from '../hooks/use-export.js';
import { useKeys } from '../hooks/use-keys.js';
import { useStatementHistory } from '../hooks/use-statement-history.js';

export interface SqlScreenProps {
  adhoc: AdhocHandle;
  /** The history file of the warehouse (null without a config: no history). */
  historyFile: string | null;
  /** The screen is shown and nothing is drawn over it (the help, a question). */
  isActive: boolean;
  /** The editor has the keys; otherwise the screen's keys work (paging, export, the writes toggle). */
  editing: boolean;
  onEditing: (editing: boolean) => void;
  height: number;
  width: number;
  /** Runs the editor's text (the app checks the connection first). */
  onRun: (text: string, writes: boolean) => boolean;
  onNotice: (message: string | null) => void;
  /** While a file name is typed, keys are text, not commands. */
  onTyping: (typing: boolean) => void;
}

/** The rows of text the editor shows: three on a 24-row terminal, more on a taller one. */
export const editorRows = (height: number) => Math.max(3, Math.min(8, Math.floor(height / 5)));

/** What turns writes on, as the footer and a refused write say it. */
export const WRITES_HINT = 'writes are off: Esc, then w switches them on';

/** The question before a statement runs with writes: short enough for one line of 80 columns. */
export function writeQuestion(statement: ScriptStatement): string {
  const word = leadingWords(statement.text, 1)[0] ?? 'statement';
  return `Line ${statement.line} (${word}) needs writes: run it and what follows with them?`;
}

/**
 * Ad-hoc SQL: an editor (history, completion from the warehouse's catalog),
 * the statements run in order on a session of the screen's own, and the
 * last result in the table view, or the error under the editor with a
 * caret at its place. Read-only until `w` switches writes on; then a write
 * asks first.
 */
export function SqlScreen({ adhoc, historyFile, isActive, editing, onEditing, height, width, onRun, onNotice, onTyping }: SqlScreenProps) {
  const history = useStatementHistory(historyFile);
  const [writes, setWrites] = useState(false);
  const [offset, setOffset] = useState(0);
  const [firstColumn, setFirstColumn] = useState(0);
  const exporter = useExport({ onExported: onNotice, onTyping });
  const { state } = adhoc;
  const result = state.status === 'finished' && !state.problem ? (state.run.last?.result ?? null) : null;
  const rows = editorRows(height);
  const tableHeight = Math.max(1, height - 1 - (rows + 3) - SQL_RESULT_CHROME_LINES - (exporter.prompt ? EXPORT_PROMPT_LINES : 0));

  const run = (text: string) => {
    if (state.status === 'running') return onNotice('A statement is running: Esc cancels it.');
    if (!onRun(text, writes)) return;
    setOffset(0);
    setFirstColumn(0);
    onNotice(history.add(text));
  };
  const escape = () => {
    if (!adhoc.cancel()) onEditing(false);
  };
  const page = (move: PageMove) => {
    if (result) setOffset((o) => pageOffset(o, move, result.rows.length, tableHeight));
  };
  const scroll = (by: -1 | 1) => {
    if (result) setFirstColumn((c) => columnOffset(c, by, result.columns.length));
  };
  const toggleWrites = () => {
    setWrites(!writes);
    onNotice(writes ? 'Read-only: statements run in a read-only transaction.' : 'Writes ON: a statement that writes asks first, then commits as it ends.');
  };

  // In the editor PgUp/PgDn still page the result; the editor takes every other key.
  useKeys((_input, key) => {
    if (key.pageDown) page('pageDown');
    else if (key.pageUp) page('pageUp');
  }, isActive && editing);
  useKeys((input, key) => {
    const moved = resultMove(input, key);
    if (exporter.handleKey(input, key)) return;
    if (key.escape) escape();
    else if (key.return) onEditing(true);
    else if (input === 'w') toggleWrites();
    else if (input === 'e' && result) exporter.open(result, 'result.csv');
    else if (moved && 'page' in moved) page(moved.page);
    else if (moved) scroll(moved.scroll);
  }, isActive && !editing);

  const tables = adhoc.catalog.length;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>SQL</Text>{' '}
        {writes ? (
          <Text color="red" bold inverse>
            {' writes ON '}
          </Text>
        ) : (
          <Text color="green">read-only</Text>
        )}
        {adhoc.inTransaction ? <Text color="yellow"> · in a transaction (COMMIT or ROLLBACK ends it)</Text> : null}
        <Text dimColor>
          {' · '}
          {tables > 0 ? `${formatNumber(tables)} tables for Tab` : 'no names for Tab yet'}
          {editing ? '' : ' · Enter edits'}
        </Text>
      </Text>
      <SqlEditor
        isActive={isActive && editing}
        onRun={run}
        onEscape={escape}
        history={history.statements}
        catalog={adhoc.catalog}
        width={width}
        height={rows}
      />
      <SqlRunView
        state={state}
        offset={offset}
        firstColumn={firstColumn}
        height={tableHeight}
        width={width}
        exporting={exporter.prompt}
        writesHint={WRITES_HINT}
      />
    </Box>
  );
}

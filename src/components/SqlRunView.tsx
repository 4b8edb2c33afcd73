import { Box, Text } from 'ink';
import { MAX_COLLECTED_ROWS } from '../adhoc/collect-rows.js';
import { formatDuration, formatNumber } from '../format/numbers.js';
import type { AdhocState } from '../hooks/use-adhoc.js';
import type { ExportPromptState } from '../hooks/use-export.js';
import { useTicker } from '../hooks/use-ticker.js';
import { ExportPrompt } from './ExportPrompt.js';
import { ResultView } from './ResultView.js';
import { Spinner } from './Spinner.js';
import { SqlErrorCaret } from './SqlErrorCaret.js';

/** The lines a result takes besides its rows: the line of tags, the table's borders and head, the status line. */
export const SQL_RESULT_CHROME_LINES = 6;

export interface SqlRunViewProps {
  state: AdhocState;
  offset: number;
  firstColumn: number;
  /** Rows of the table that fit on screen. */
  height: number;
  width: number;
  exporting: ExportPromptState | null;
  /** How to switch writes on, said under a write the read-only transaction refused. */
  writesHint: string;
}

/** `3 statements: CREATE TABLE · INSERT 0 1 · SELECT 2`, or the one tag. */
function tagsLine(tags: readonly string[], count: number): string {
  if (count <= 1) return tags.join('');
  return `${tags.length === count ? count : `${tags.length} of ${count}`} statements: ${tags.join(' · ')}`;
}

/** What the SQL screen shows under the editor: the statement running, or the last result (the last statement's rows, each statement's tag), or why the run stopped. */
export function SqlRunView({ state, offset, firstColumn, height, width, exporting, writesHint }: SqlRunViewProps) {
  const now = useTicker(state.status === 'running', 100);
  if (state.status === 'idle') return null;
  if (state.status === 'running') {
    const { statement } = state;
    const which = statement ? `line ${statement.line}${state.count > 1 ? `, statement ${state.index + 1} of ${state.count}` : ''}` : 'opening a session';
    if (state.asking) return <Text color="yellow">Line {statement?.line} waits for the answer below: y runs it with writes allowed.</Text>;
    return (
      <Text wrap="truncate-end">
        <Spinner /> {state.cancelling ? 'Cancelling' : 'Running'} {which}… {formatDuration(Math.max(0, now - state.started))}{' '}
        <Text dimColor>{state.cancelling ? '(on the server)' : '(Esc cancels it on the server)'}</Text>
      </Text>
    );
  }
  const { run, problem, text } = state;
  const tags = tagsLine(run.tags, run.count);
  if (problem) {
    const message = problem.kind === 'read-only' ? `${problem.message} (${writesHint})` : problem.message;
    return (
      <Box flexDirection="column">
        {run.tags.length > 0 ? <Text wrap="truncate-end">ran {tags}</Text> : null}
        {problem.kind === 'cancelled' || problem.kind === 'declined' ? (
          <Text color="yellow">◼ {message}</Text>
        ) : (
          <SqlErrorCaret text={text} position={problem.at} message={message} width={width} />
        )}
      </Box>
    );
  }
  if (run.count === 0) return <Text dimColor>No statement to run: only blanks or comments.</Text>;
  const result = run.last?.result ?? null;
  // A result cut short counted the rows fetched, not the statement's: its tag says only that there are more.
  const kept = formatNumber(MAX_COLLECTED_ROWS);
  const shownTags = run.last?.more ? tagsLine([...run.tags.slice(0, -1), `SELECT: more than ${kept} rows; the first ${kept} are kept`], run.count) : tags;
  const after = result ? '' : ` · ${formatDuration(run.last?.ms ?? 0)}`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color="green">✓</Text> {shownTags}
        <Text dimColor>{after}</Text>
      </Text>
      {result ? <ResultView result={result} offset={offset} firstColumn={firstColumn} height={height} width={width} /> : null}
      {exporting ? <ExportPrompt prompt={exporting} /> : null}
    </Box>
  );
}

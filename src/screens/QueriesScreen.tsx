import { Box, Text, type Key } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useSelection } from '../hooks/use-selection.js';
import { useState } from 'react';
import { columnOffset, pageOffset, resultMove, ResultView, type PageMove } from '../components/ResultView.js';
import { ExportPrompt, EXPORT_PROMPT_LINES } from '../components/ExportPrompt.js';
import { useExport } from '../hooks/use-export.js';
import { Spinner } from '../components/Spinner.js';
import { QUERIES } from '../queries/catalog.js';
import { bindValues, paramProblem } from '../queries/query-params.js';
import { TextPrompt } from '../components/TextPrompt.js';
import type { QueryState } from '../hooks/use-query.js';

export interface QueriesScreenProps {
  state: QueryState;
  isActive: boolean;
  height: number;
  width: number;
  onRun: (index: number, values: unknown[]) => void;
  onBack: () => void;
  /** One line for the app's notice (where an export went). */
  onNotice: (message: string) => void;
  /** While a parameter or a file name is typed, keys are text, not commands. */
  onTyping: (typing: boolean) => void;
}

/** The values asked so far of a query that takes parameters. */
interface Asking {
  index: number;
  values: string[];
  text: string;
  error: string | null;
}

/** The canned-query catalog; Enter runs one and shows its result. */
export function QueriesScreen({ state, isActive, height, width, onRun, onBack, onNotice, onTyping }: QueriesScreenProps) {
  const { selected, move, current } = useSelection(QUERIES.length);
  const [showSql, setShowSql] = useState(false);
  const [offset, setOffset] = useState(0);
  const [firstColumn, setFirstColumn] = useState(0);
  const exporter = useExport({ onExported: onNotice, onTyping });
  const [asking, setAsking] = useState<Asking | null>(null);
  const listing = state.status === 'idle';
  const ask = (next: Asking | null) => {
    setAsking(next);
    onTyping(next !== null);
  };
  const start = (index: number, values: string[]) => {
    const query = QUERIES[index]!;
    setOffset(0);
    setFirstColumn(0);
    const params = query.params ?? [];
    if (values.length < params.length) return ask({ index, values, text: '', error: null });
    ask(null);
    const bound = bindValues(query, Object.fromEntries(params.map((p, i) => [p.name, values[i]!])));
    if ('values' in bound) onRun(index, bound.values);
  };
  const typeInto = (input: string, key: Key, current: Asking) => {
    const param = QUERIES[current.index]!.params![current.values.length]!;
    const submit = (text: string) => {
      const problem = paramProblem(param, text);
      if (problem) ask({ ...current, text, error: problem });
      else start(current.index, [...current.values, text]);
    };
    if (key.escape) ask(null);
    else if (key.return) submit(current.text);
    else if (key.backspace || key.delete) ask({ ...current, text: current.text.slice(0, -1), error: null });
    else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
      // Pasted text arrives as one input, its line break with it: that line break submits.
      const lineEnd = input.search(/[\r\n]/);
      if (lineEnd >= 0) submit(current.text + input.slice(0, lineEnd));
      else ask({ ...current, text: current.text + input, error: null });
    }
  };
  const tableHeight = height - 6 - (exporter.prompt ? EXPORT_PROMPT_LINES : 0);
  const page = (move: PageMove) => {
    if (state.status === 'done') setOffset((o) => pageOffset(o, move, state.result.rows.length, tableHeight));
  };
  const scroll = (by: -1 | 1) => {
    if (state.status === 'done') setFirstColumn((c) => columnOffset(c, by, state.result.columns.length));
  };
  useKeys((input, key) => {
    const moved = resultMove(input, key);
    if (exporter.handleKey(input, key)) return;
    if (asking) typeInto(input, key, asking);
    else if (listing) {
      if (input === 'j' || key.downArrow) move(1);
      else if (input === 'k' || key.upArrow) move(-1);
      else if (input === 's') setShowSql((v) => !v);
      else if (key.return) start(current(), []);
    } else if (key.escape || key.backspace) onBack();
    else if (moved && 'page' in moved) page(moved.page);
    else if (moved) scroll(moved.scroll);
    else if (input === 'e' && state.status === 'done') exporter.open(state.result, `${state.query.name}.csv`);
  }, isActive);

  if (state.status === 'running') {
    return (
      <Text>
        <Spinner /> {state.query.title}…
      </Text>
    );
  }
  if (state.status === 'failed') {
    return (
      <Box flexDirection="column">
        <Text bold>{state.query.title}</Text>
        <Text color="red">✗ {state.error}</Text>
        <Text dimColor>Esc goes back to the list.</Text>
      </Box>
    );
  }
  if (state.status === 'done') {
    return (
      <Box flexDirection="column">
        <Text>
          <Text bold>{state.query.title}</Text> <Text dimColor>{state.query.description}</Text>
        </Text>
        <ResultView chart={state.query.chart} result={state.result} offset={offset} firstColumn={firstColumn} height={tableHeight} width={width} />
        {exporter.prompt ? <ExportPrompt prompt={exporter.prompt} /> : null}
      </Box>
    );
  }
  const query = QUERIES[selected]!;
  const param = asking ? QUERIES[asking.index]!.params![asking.values.length]! : null;
  return (
    <Box flexDirection="column">
      {QUERIES.map((q, i) => (
        <Text key={q.name} color={i === selected ? 'cyan' : undefined}>
          {i === selected ? '▸ ' : '  '}
          {q.title.padEnd(22)}
          <Text dimColor>{q.description}</Text>
        </Text>
      ))}
      {asking && param ? (
        <TextPrompt label={`${QUERIES[asking.index]!.title}: ${param.name}`} hint={param.description} value={asking.text} error={asking.error} />
      ) : null}
      {showSql ? (
        <Box marginTop={1} borderStyle="single" borderColor="gray" paddingX={1}>
          <Text>{query.sql}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useState } from 'react';
import { pageOffset, ResultView, type PageMove } from '../components/ResultView.js';
import { Spinner } from '../components/Spinner.js';
import { QUERIES } from '../queries/catalog.js';
import type { QueryState } from '../hooks/use-query.js';

export interface QueriesScreenProps {
  state: QueryState;
  isActive: boolean;
  height: number;
  width: number;
  onRun(index: number): void;
  onBack(): void;
}

/** The canned-query catalog; Enter runs one and shows its result. */
export function QueriesScreen({ state, isActive, height, width, onRun, onBack }: QueriesScreenProps) {
  const [selected, setSelected] = useState(0);
  const [showSql, setShowSql] = useState(false);
  const [offset, setOffset] = useState(0);
  const listing = state.status === 'idle';
  const tableHeight = height - 6;
  const page = (move: PageMove) => {
    if (state.status === 'done') setOffset((o) => pageOffset(o, move, state.result.rows.length, tableHeight));
  };
  useKeys(
    (input, key) => {
      if (listing) {
        if (input === 'j' || key.downArrow) setSelected((i) => Math.min(QUERIES.length - 1, i + 1));
        else if (input === 'k' || key.upArrow) setSelected((i) => Math.max(0, i - 1));
        else if (input === 's') setShowSql((v) => !v);
        else if (key.return) {
          setOffset(0);
          onRun(selected);
        }
      } else if (key.escape || key.backspace || key.leftArrow) onBack();
      else if (input === 'j' || key.downArrow) page('down');
      else if (input === 'k' || key.upArrow) page('up');
      else if (key.pageDown || input === ' ') page('pageDown');
      else if (key.pageUp) page('pageUp');
      else if (input === 'g' || key.home) page('top');
      else if (input === 'G' || key.end) page('bottom');
    },
    isActive,
  );

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
        <ResultView query={state.query} result={state.result} offset={offset} height={tableHeight} width={width} />
      </Box>
    );
  }
  const query = QUERIES[selected]!;
  return (
    <Box flexDirection="column">
      {QUERIES.map((q, i) => (
        <Text key={q.name} color={i === selected ? 'cyan' : undefined}>
          {i === selected ? '▸ ' : '  '}
          {q.title.padEnd(22)}
          <Text dimColor>{q.description}</Text>
        </Text>
      ))}
      {showSql ? (
        <Box marginTop={1} borderStyle="single" borderColor="gray" paddingX={1}>
          <Text>{query.sql}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

import { Box, Text } from 'ink';
import { formatBytes, formatDuration, formatNumber } from '../format/numbers.js';
import type { StageView } from '../hooks/use-pipeline.js';
import { useTicker } from '../hooks/use-ticker.js';
import { Spinner } from './Spinner.js';

const MARK: Record<Exclude<StageView['status'], 'running'>, [string, string]> = {
  pending: ['·', 'gray'],
  done: ['✓', 'green'],
  failed: ['✗', 'red'],
  skipped: ['-', 'gray'],
  cancelled: ['⊘', 'yellow'],
};

/** Column widths of the stage table, shared by its head and its rows. */
const WIDTH = { mark: 3, stage: 18, status: 11, rows: 14, bytes: 11, time: 9 };

function StageHead() {
  return (
    <Text dimColor>
      {' '.repeat(2 + WIDTH.mark)}
      {'stage'.padEnd(WIDTH.stage)}
      {'status'.padEnd(WIDTH.status)}
      {'rows'.padStart(WIDTH.rows)}
      {'bytes'.padStart(WIDTH.bytes)}
      {'time'.padStart(WIDTH.time)}
    </Text>
  );
}

function StageRow({ stage, index, selected, now }: { stage: StageView; index: number; selected: boolean; now: number }) {
  const running = stage.status === 'running';
  const ms = running && stage.startedAt !== null ? Math.max(0, now - stage.startedAt) : stage.ms;
  const showCounts = stage.status === 'done' || running;
  const [mark, color] = stage.status === 'running' ? ['', 'cyan'] : MARK[stage.status];
  return (
    <Box>
      <Text color="cyan">{selected ? '▸ ' : '  '}</Text>
      <Box width={WIDTH.mark}>{running ? <Spinner /> : <Text color={color}>{mark}</Text>}</Box>
      <Box width={WIDTH.stage}>
        <Text>
          {index + 1} {stage.name}
        </Text>
      </Box>
      <Box width={WIDTH.status}>
        <Text color={color}>{stage.status}</Text>
      </Box>
      <Box width={WIDTH.rows} justifyContent="flex-end">
        <Text>{showCounts ? `${formatNumber(stage.rows)} ${stage.unit === 'checks' ? 'check' : 'row'}${stage.rows === 1 ? '' : 's'}` : ''}</Text>
      </Box>
      <Box width={WIDTH.bytes} justifyContent="flex-end">
        <Text dimColor>{showCounts && stage.bytes > 0 ? formatBytes(stage.bytes) : ''}</Text>
      </Box>
      <Box width={WIDTH.time} justifyContent="flex-end">
        <Text>{ms !== null && stage.status !== 'skipped' && stage.status !== 'pending' ? formatDuration(ms) : ''}</Text>
      </Box>
    </Box>
  );
}

/** The stages of a run: status, live rows and bytes, a ticking elapsed time. */
export function StageList({ stages, selected }: { stages: readonly StageView[]; selected: number | null }) {
  const now = useTicker(
    stages.some((s) => s.status === 'running'),
    100,
  );
  return (
    <Box flexDirection="column">
      <StageHead />
      {stages.map((stage, i) => (
        <Box key={stage.name} flexDirection="column">
          <StageRow stage={stage} index={i} selected={selected === i} now={now} />
          {/* Whole, wrapped: a failing stage is the one the user must read (the stages after it are skipped). */}
          {stage.error ? (
            <Box marginLeft={5}>
              <Text color="red" wrap="wrap">
                {stage.error}
              </Text>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

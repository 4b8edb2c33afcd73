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

function StageRow({ stage, index, selected, now }: { stage: StageView; index: number; selected: boolean; now: number }) {
  const running = stage.status === 'running';
  const ms = running && stage.startedAt !== null ? Math.max(0, now - stage.startedAt) : stage.ms;
  const showCounts = stage.status === 'done' || running;
  const [mark, color] = stage.status === 'running' ? ['', 'cyan'] : MARK[stage.status];
  return (
    <Box>
      <Text color="cyan">{selected ? '▸ ' : '  '}</Text>
      <Box width={3}>{running ? <Spinner /> : <Text color={color}>{mark}</Text>}</Box>
      <Box width={18}>
        <Text>
          {index + 1} {stage.name}
        </Text>
      </Box>
      <Box width={11}>
        <Text color={color}>{stage.status}</Text>
      </Box>
      <Box width={14} justifyContent="flex-end">
        <Text>{showCounts ? `${formatNumber(stage.rows)} ${stage.unit === 'checks' ? 'checks' : 'rows'}` : ''}</Text>
      </Box>
      <Box width={11} justifyContent="flex-end">
        <Text dimColor>{showCounts && stage.bytes > 0 ? formatBytes(stage.bytes) : ''}</Text>
      </Box>
      <Box width={9} justifyContent="flex-end">
        <Text>{ms !== null && stage.status !== 'skipped' && stage.status !== 'pending' ? formatDuration(ms) : ''}</Text>
      </Box>
    </Box>
  );
}

/** The stages of a run: status, live rows and bytes, a ticking elapsed time. */
export function StageList({ stages, selected }: { stages: readonly StageView[]; selected: number | null }) {
  const now = useTicker(stages.some((s) => s.status === 'running'), 100);
  return (
    <Box flexDirection="column">
      {stages.map((stage, i) => (
        <Box key={stage.name} flexDirection="column">
          <StageRow stage={stage} index={i} selected={selected === i} now={now} />
          {stage.error ? (
            <Box marginLeft={5}>
              <Text color="red" wrap="truncate-end">
                {stage.error}
              </Text>
            </Box>
          ) : null}
        </Box>
      ))}
    </Box>
  );
}

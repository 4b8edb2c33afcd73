import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useSelection } from '../hooks/use-selection.js';
import { StageList } from '../components/StageList.js';
import { summaryLine } from '../format/run-summary.js';
import type { StageName } from '../etl/events.js';
import type { PipelineState } from '../hooks/use-pipeline.js';

export interface EtlScreenProps {
  pipeline: PipelineState;
  isActive: boolean;
  onRunStage: (stage: StageName) => void;
  onRunAll: () => void;
}

export function EtlScreen({ pipeline, isActive, onRunStage, onRunAll }: EtlScreenProps) {
  const { stages, summary, running } = pipeline;
  const { selected, move, current } = useSelection(stages.length);
  useKeys((input, key) => {
    if (running) return;
    if (input === 'j' || key.downArrow) move(1);
    else if (input === 'k' || key.upArrow) move(-1);
    else if (key.return) onRunStage(stages[current()]!.name);
    else if (input === 'a') onRunAll();
  }, isActive);
  const color = summary?.status === 'passed' ? 'green' : summary?.status === 'cancelled' ? 'yellow' : 'red';
  return (
    <Box flexDirection="column">
      <StageList stages={stages} selected={running ? null : selected} />
      <Box marginTop={1}>
        {summary ? (
          <Text color={color}>{summaryLine(summary)}</Text>
        ) : running ? (
          <Text dimColor>{pipeline.reset ? 'Reloading: reset and every stage, in one transaction. Esc cancels.' : 'Running. Esc cancels.'}</Text>
        ) : (
          <Text dimColor>R reloads everything; Enter runs the selected stage; a runs all stages.</Text>
        )}
      </Box>
      {summary?.error ? <Text color="red">{summary.error}</Text> : null}
    </Box>
  );
}

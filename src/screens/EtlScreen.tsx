import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useState } from 'react';
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
  const [selected, setSelected] = useState(0);
  const { stages, summary, running } = pipeline;
  useKeys((input, key) => {
    if (running) return;
    if (input === 'j' || key.downArrow) setSelected((i) => Math.min(stages.length - 1, i + 1));
    else if (input === 'k' || key.upArrow) setSelected((i) => Math.max(0, i - 1));
    else if (key.return) onRunStage(stages[Math.min(selected, stages.length - 1)]!.name);
    else if (input === 'a') onRunAll();
  }, isActive);
  const color = summary?.status === 'passed' ? 'green' : summary?.status === 'cancelled' ? 'yellow' : 'red';
  return (
    <Box flexDirection="column">
      <StageList stages={stages} selected={running ? null : Math.min(selected, stages.length - 1)} />
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

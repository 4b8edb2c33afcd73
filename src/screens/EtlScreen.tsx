import { Box, Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useSelection } from '../hooks/use-selection.js';
import { StageList } from '../components/StageList.js';
import { summaryLine } from '../format/run-summary.js';
import { fileChangesLine, starTablesLine } from '../format/file-changes.js';
import type { StageName } from '../etl/events.js';
import type { PipelineState } from '../hooks/use-pipeline.js';

export interface EtlScreenProps {
  pipeline: PipelineState;
  isActive: boolean;
  onRunStage: (stage: StageName) => void;
  onRunAll: () => void;
}

/** What an incremental run found, as the command line says it. */
function FoundLines({ incremental }: { incremental: NonNullable<PipelineState['incremental']> }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      {incremental.changes.map((c) => (
        <Text key={c.table} wrap="wrap">
          {fileChangesLine(c)}
        </Text>
      ))}
      <Text dimColor wrap="wrap">
        {starTablesLine(incremental.starTables)}
      </Text>
    </Box>
  );
}

export function EtlScreen({ pipeline, isActive, onRunStage, onRunAll }: EtlScreenProps) {
  const { stages, summary, running } = pipeline;
  const { selected, move, current } = useSelection(stages.length);
  useKeys((input, key) => {
    if (running) return;
    if (input === 'j' || key.downArrow) move(1);
    else if (input === 'k' || key.upArrow) move(-1);
    else if (key.return && stages.length > 0) onRunStage(stages[current()]!.name);
    else if (input === 'a') onRunAll();
  }, isActive);
  const color = summary?.status === 'passed' ? 'green' : summary?.status === 'cancelled' ? 'yellow' : 'red';
  return (
    <Box flexDirection="column">
      {pipeline.incremental ? <FoundLines incremental={pipeline.incremental} /> : null}
      {stages.length > 0 ? <StageList stages={stages} selected={running ? null : selected} /> : null}
      <Box marginTop={1}>
        {summary ? (
          <Text color={color}>{summaryLine(summary)}</Text>
        ) : running ? (
          <Text dimColor>
            {pipeline.reset
              ? 'Reloading: reset and every stage, in one transaction. Esc cancels.'
              : stages.length === 0
                ? 'Finding new files…'
                : 'Running. Esc cancels.'}
          </Text>
        ) : (
          <Text dimColor>R reloads everything; i loads only the new files; Enter runs the selected stage; a runs all stages.</Text>
        )}
      </Box>
      {summary?.error ? <Text color="red">{summary.error}</Text> : null}
    </Box>
  );
}

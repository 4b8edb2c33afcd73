import { Box, Text } from 'ink';
import { formatBytes, formatNumber } from '../format/numbers.js';
import type { ExportPromptState } from '../hooks/use-export.js';
import type { PreviewState } from '../hooks/use-preview.js';
import { PREVIEW_ROWS, type TablePreview } from '../queries/table-preview.js';
import { ExportPrompt } from './ExportPrompt.js';
import { ResultView } from './ResultView.js';
import { Spinner } from './Spinner.js';

/** The lines a preview takes besides its rows: its title, the table's borders and two-line head, the rule under it, the status line. */
export const PREVIEW_CHROME_LINES = 7;

/** `6,820 rows · 1.2 MB · the first 100`: what the title says of the table. */
export function previewSummary(preview: TablePreview): string {
  const size = preview.bytes === null ? `size ${preview.sizeProblem}` : `${formatBytes(preview.bytes)} on disk`;
  const some = preview.rowCount > PREVIEW_ROWS ? ` · the first ${PREVIEW_ROWS}` : '';
  return `${formatNumber(preview.rowCount)} ${preview.rowCount === 1 ? 'row' : 'rows'} · ${size}${some}`;
}

export interface TablePreviewViewProps {
  state: Exclude<PreviewState, { status: 'idle' }>;
  offset: number;
  firstColumn: number;
  /** Rows of the table that fit on screen. */
  height: number;
  width: number;
  exporting: ExportPromptState | null;
}

/** A table's first rows in the result view, with its column types, row count and size; or the preview on its way, or its error. */
export function TablePreviewView({ state, offset, firstColumn, height, width, exporting }: TablePreviewViewProps) {
  if (state.status === 'running') {
    return (
      <Text>
        <Spinner /> {state.table}: reading its first {PREVIEW_ROWS} rows…
      </Text>
    );
  }
  if (state.status === 'failed') {
    return (
      <Box flexDirection="column">
        <Text bold>{state.table}</Text>
        <Text color="red">✗ {state.error}</Text>
        <Text dimColor>Esc goes back to the tables.</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{state.table}</Text> <Text dimColor>{previewSummary(state.preview)}</Text>
      </Text>
      <ResultView result={state.preview.result} offset={offset} firstColumn={firstColumn} height={height} width={width} />
      {exporting ? <ExportPrompt prompt={exporting} /> : null}
    </Box>
  );
}

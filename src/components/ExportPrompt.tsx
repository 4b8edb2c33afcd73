import { formatNumber } from '../format/numbers.js';
import type { ExportPromptState } from '../hooks/use-export.js';
import { TextPrompt } from './TextPrompt.js';

/** The lines the prompt takes under a result: a blank line, the label, the name, the error or what Enter does. */
export const EXPORT_PROMPT_LINES = 4;

/** The file name prompt of an export (see useExport), under the result it exports. */
export function ExportPrompt({ prompt }: { prompt: ExportPromptState }) {
  const rows = prompt.result.rows.length;
  return (
    <TextPrompt
      label={`Export ${formatNumber(rows)} ${rows === 1 ? 'row' : 'rows'} to`}
      hint="a .csv or .json file; Tab switches between them"
      value={prompt.text}
      error={prompt.error}
      footer="Enter writes the file · Esc cancels"
    />
  );
}

import type { Key } from 'ink';
import { existsSync } from 'node:fs';
import { useCallback, useRef, useState } from 'react';
import { messageOf } from '../error-message.js';
import { exportPath, exportProblem, otherFormat, writeResult } from '../export/result-file.js';
import { formatBytes, formatNumber } from '../format/numbers.js';
import type { QueryResult } from '../queries/run-query.js';

/** The file name being typed for an export, and why the last one was refused. */
export interface ExportPromptState {
  result: QueryResult;
  text: string;
  error: string | null;
  /** The file that exists: Enter again on it replaces it. */
  replacing: string | null;
}

export interface ExportHandle {
  prompt: ExportPromptState | null;
  /** Asks for a file name for `result`, `name` offered (a .csv name; Tab switches it to .json and back). */
  open: (result: QueryResult, name: string) => void;
  /** The keys while the prompt is open; false when it is not (the screen's keys then). */
  handleKey: (input: string, key: Key) => boolean;
}

/**
 * Exporting the result on screen to CSV or JSON: a file name prompt, then
 * one line saying where it went (`onExported`), or why not under the
 * prompt, which stays open to change the name. `onTyping` tells the app
 * that keys are text while the prompt is open.
 */
export function useExport({ onExported, onTyping }: { onExported: (message: string) => void; onTyping?: (typing: boolean) => void }): ExportHandle {
  const [prompt, setPrompt] = useState<ExportPromptState | null>(null);
  // Keys that arrive in one read are handled before the next render: each must see the one before.
  const latest = useRef<ExportPromptState | null>(null);
  const show = useCallback(
    (next: ExportPromptState | null) => {
      if ((latest.current === null) !== (next === null)) onTyping?.(next !== null);
      latest.current = next;
      setPrompt(next);
    },
    [onTyping],
  );
  const open = useCallback((result: QueryResult, name: string) => show({ result, text: name, error: null, replacing: null }), [show]);

  const submit = useCallback(
    (current: ExportPromptState, text: string) => {
      const name = text.trim();
      if (name === '') return show({ ...current, text, error: 'give a file name ending in .csv or .json' });
      const file = exportPath(name);
      const problem = exportProblem(file);
      if (problem) return show({ ...current, text, error: problem, replacing: null });
      if (existsSync(file) && current.replacing !== file) return show({ ...current, text, error: `${file} exists: Enter again replaces it`, replacing: file });
      try {
        const done = writeResult(current.result, file);
        show(null);
        onExported(`Exported ${formatNumber(done.rows)} rows (${done.format.toUpperCase()}, ${formatBytes(done.bytes)}) to ${done.file}`);
      } catch (error) {
        show({ ...current, text, error: messageOf(error), replacing: null });
      }
    },
    [show, onExported],
  );

  const handleKey = useCallback(
    (input: string, key: Key): boolean => {
      const current = latest.current;
      if (!current) return false;
      const edit = (text: string) => show({ ...current, text, error: null, replacing: null });
      if (key.escape) show(null);
      else if (key.return) submit(current, current.text);
      else if (key.backspace || key.delete) edit(current.text.slice(0, -1));
      else if (key.tab) edit(otherFormat(current.text));
      else if (key.ctrl && input === 'u') edit('');
      else if (input && !key.ctrl && !key.meta) {
        // Pasted text arrives as one input, its line break with it: that line break submits.
        const lineEnd = input.search(/[\r\n]/);
        // eslint-disable-next-line no-control-regex
        const typed = (lineEnd >= 0 ? input.slice(0, lineEnd) : input).replace(/[\u0000-\u001f\u007f]/g, '');
        if (lineEnd >= 0) submit(current, current.text + typed);
        else edit(current.text + typed);
      }
      return true;
    },
    [show, submit],
  );
  return { prompt, open, handleKey };
}

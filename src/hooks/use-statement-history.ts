import { useCallback, useState } from 'react';
import { appendHistory, readHistory, type StatementHistory } from '../history/statement-history.js';

/**
 * The statement history of a warehouse (its file: historyFile(config)),
 * read when the file changes and added to as statements run. `problem`
 * (and what `add` returns) says, in one line, what could not be read or
 * written; the history goes on without it.
 */
export function useStatementHistory(file: string | null): StatementHistory & { add: (statement: string) => string | null } {
  const [state, setState] = useState<{ file: string | null; history: StatementHistory }>(() => ({ file, history: read(file) }));
  // A new file (another config): read it while rendering, not in an effect, so no frame shows the old one's.
  const current = state.file === file ? state.history : read(file);
  if (state.file !== file) setState({ file, history: current });
  const add = useCallback(
    (statement: string): string | null => {
      if (file === null) return null;
      const history = appendHistory(file, statement);
      setState({ file, history });
      return history.problem;
    },
    [file],
  );
  return { ...current, add };
}

function read(file: string | null): StatementHistory {
  return file === null ? { statements: [], problem: null } : readHistory(file);
}

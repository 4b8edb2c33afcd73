import { useCallback, useState } from 'react';
import { messageOf } from '../etl/error-message.js';
import type { CannedQuery } from '../queries/catalog.js';
import { runQuery, type QueryResult } from '../queries/run-query.js';
import type { Warehouse } from '../warehouse/connection.js';

export type QueryState =
  | { status: 'idle' }
  | { status: 'running'; query: CannedQuery }
  | { status: 'done'; query: CannedQuery; result: QueryResult }
  | { status: 'failed'; query: CannedQuery; error: string };

/** Runs a canned query with its bind values; a failure becomes state to show, never an exception. */
export function useQuery(wh: Warehouse | null) {
  const [state, setState] = useState<QueryState>({ status: 'idle' });
  const run = useCallback(
    async (query: CannedQuery, values: unknown[] = []) => {
      if (!wh) return;
      setState({ status: 'running', query });
      try {
        setState({ status: 'done', query, result: await runQuery(wh, query.sql, values) });
      } catch (error) {
        setState({ status: 'failed', query, error: wh.mask(messageOf(error)) });
      }
    },
    [wh],
  );
  const clear = useCallback(() => setState({ status: 'idle' }), []);
  return { state, run, clear };
}

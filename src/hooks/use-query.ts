import { useCallback, useRef, useState } from 'react';
import { messageOf } from '../error-message.js';
import type { CannedQuery } from '../queries/catalog.js';
import { runQuery, type QueryResult } from '../queries/run-query.js';
import type { Warehouse } from '../warehouse/connection.js';

export type QueryState =
  | { status: 'idle' }
  | { status: 'running'; query: CannedQuery }
  | { status: 'done'; query: CannedQuery; result: QueryResult }
  | { status: 'failed'; query: CannedQuery; error: string };

/**
 * Runs a canned query with its bind values; a failure becomes state to show,
 * never an exception. `clear` leaves the result, and cancels the query on
 * the server if it still runs: its answer, if one comes, is not shown.
 */
export function useQuery(wh: Warehouse | null) {
  const [state, setState] = useState<QueryState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);
  const run = useCallback(
    async (query: CannedQuery, values: unknown[] = []) => {
      if (!wh) return;
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setState({ status: 'running', query });
      let next: QueryState;
      try {
        next = { status: 'done', query, result: await runQuery(wh, query.sql, values, controller.signal) };
      } catch (error) {
        next = { status: 'failed', query, error: wh.mask(messageOf(error)) };
      }
      if (controller.signal.aborted) return;
      running.current = null;
      setState(next);
    },
    [wh],
  );
  const clear = useCallback(() => {
    running.current?.abort();
    running.current = null;
    setState({ status: 'idle' });
  }, []);
  return { state, run, clear };
}

import { useCallback } from 'react';
import { messageOf } from '../error-message.js';
import type { CannedQuery } from '../queries/catalog.js';
import { runQuery, type QueryResult } from '../queries/run-query.js';
import type { Warehouse } from '../warehouse/connection.js';
import { useLatestTask } from './use-latest-task.js';

export type QueryState =
  | { status: 'idle' }
  | { status: 'running'; query: CannedQuery }
  | { status: 'done'; query: CannedQuery; result: QueryResult }
  | { status: 'failed'; query: CannedQuery; error: string };

const IDLE: QueryState = { status: 'idle' };

/**
 * Runs a canned query with its bind values; a failure becomes state to show,
 * never an exception. `clear` leaves the result, and cancels the query on
 * the server if it still runs: its answer, if one comes, is not shown.
 */
export function useQuery(wh: Warehouse | null) {
  const task = useLatestTask<QueryState>(IDLE);
  const { start } = task;
  const run = useCallback(
    async (query: CannedQuery, values: unknown[] = []) => {
      if (!wh) return;
      await start({ status: 'running', query }, async (signal) => {
        try {
          return { status: 'done', query, result: await runQuery(wh, query.sql, values, signal) };
        } catch (error) {
          return { status: 'failed', query, error: wh.mask(messageOf(error)) };
        }
      });
    },
    [wh, start],
  );
  return { state: task.state, run, clear: task.clear };
}

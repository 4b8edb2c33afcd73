import { useCallback } from 'react';
import { messageOf } from '../error-message.js';
import { previewTable, type TablePreview } from '../queries/table-preview.js';
import type { TableName } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import { useLatestTask } from './use-latest-task.js';

export type PreviewState =
  | { status: 'idle' }
  | { status: 'running'; table: TableName }
  | { status: 'done'; table: TableName; preview: TablePreview }
  | { status: 'failed'; table: TableName; error: string };

const IDLE: PreviewState = { status: 'idle' };

/**
 * A table's preview (its first rows, types, row count and size) on the
 * session given; a failure is state to show. `clear` leaves it, cancelling
 * it on the server if it still runs.
 */
export function usePreview(wh: Warehouse | null) {
  const task = useLatestTask<PreviewState>(IDLE);
  const { start } = task;
  const run = useCallback(
    async (table: TableName) => {
      if (!wh) return;
      await start({ status: 'running', table }, async (signal) => {
        try {
          return { status: 'done', table, preview: await previewTable(wh, table, signal) };
        } catch (error) {
          return { status: 'failed', table, error: wh.mask(messageOf(error)) };
        }
      });
    },
    [wh, start],
  );
  return { state: task.state, run, clear: task.clear };
}

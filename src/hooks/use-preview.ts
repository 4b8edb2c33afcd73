import { useCallback, useRef, useState } from 'react';
import { messageOf } from '../error-message.js';
import { previewTable, type TablePreview } from '../queries/table-preview.js';
import type { TableName } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';

export type PreviewState =
  | { status: 'idle' }
  | { status: 'running'; table: TableName }
  | { status: 'done'; table: TableName; preview: TablePreview }
  | { status: 'failed'; table: TableName; error: string };

/**
 * A table's preview (its first rows, types, row count and size) on the
 * session given; a failure is state to show. `clear` leaves it, cancelling
 * it on the server if it still runs.
 */
export function usePreview(wh: Warehouse | null) {
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const running = useRef<AbortController | null>(null);
  const run = useCallback(
    async (table: TableName) => {
      if (!wh) return;
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setState({ status: 'running', table });
      let next: PreviewState;
      try {
        next = { status: 'done', table, preview: await previewTable(wh, table, controller.signal) };
      } catch (error) {
        next = { status: 'failed', table, error: wh.mask(messageOf(error)) };
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

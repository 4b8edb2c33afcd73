import { useCallback, useEffect, useRef, useState } from 'react';
import type { Config } from '../config/types.js';
import { messageOf } from '../error-message.js';
import { Warehouse } from '../warehouse/connection.js';
import { tableCounts, type TableCounts } from '../warehouse/table-counts.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'failed' | 'closed';

export interface WarehouseState {
  status: ConnectionStatus;
  /** The session runs and resets use. */
  wh: Warehouse | null;
  /** A second session for queries, so that they are answered while a run holds the first. */
  reader: Warehouse | null;
  error: string | null;
  counts: TableCounts | null;
}

export interface WarehouseHandle extends WarehouseState {
  retry(): void;
  refreshCounts(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects in the background (starting the embedded server if needed) so the
 * first frame does not wait for it; closes the connections when the app ends.
 */
export function useWarehouse(config: Config | null): WarehouseHandle {
  const [state, setState] = useState<WarehouseState>({ status: 'connecting', wh: null, reader: null, error: null, counts: null });
  const [attempt, setAttempt] = useState(0);
  const current = useRef<{ wh: Warehouse; reader: Warehouse } | null>(null);

  useEffect(() => {
    if (!config) {
      setState({ status: 'failed', wh: null, reader: null, error: null, counts: null });
      return;
    }
    let cancelled = false;
    setState({ status: 'connecting', wh: null, reader: null, error: null, counts: null });
    void (async () => {
      try {
        const wh = await Warehouse.open(config);
        const reader = await wh.openReader().catch(async (error: unknown) => {
          await wh.close();
          throw error;
        });
        if (cancelled) return void (await closeBoth({ wh, reader }));
        current.current = { wh, reader };
        const counts = await tableCounts(wh).catch(() => null);
        if (!cancelled) setState({ status: 'connected', wh, reader, error: null, counts });
      } catch (error) {
        if (!cancelled) setState({ status: 'failed', wh: null, reader: null, error: messageOf(error), counts: null });
      }
    })();
    return () => {
      cancelled = true;
      const sessions = current.current;
      current.current = null;
      if (sessions) void closeBoth(sessions);
    };
  }, [config, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const refreshCounts = useCallback(async () => {
    const wh = current.current?.wh;
    if (!wh) return;
    const counts = await tableCounts(wh).catch(() => null);
    setState((s) => (s.wh === wh ? { ...s, counts } : s));
  }, []);
  const close = useCallback(async () => {
    const sessions = current.current;
    current.current = null;
    setState((s) => ({ ...s, status: 'closed', wh: null, reader: null }));
    if (sessions) await closeBoth(sessions);
  }, []);
  return { ...state, retry, refreshCounts, close };
}

/** The reader first: the main session may stop the embedded server as it closes. */
async function closeBoth({ wh, reader }: { wh: Warehouse; reader: Warehouse }): Promise<void> {
  await reader.close();
  await wh.close();
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Config } from '../config/types.js';
import { messageOf } from '../etl/error-message.js';
import { Warehouse } from '../warehouse/connection.js';
import { tableCounts, type TableCounts } from '../warehouse/table-counts.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'failed' | 'closed';

export interface WarehouseState {
  status: ConnectionStatus;
  wh: Warehouse | null;
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
 * first frame does not wait for it; closes the connection when the app ends.
 */
export function useWarehouse(config: Config | null): WarehouseHandle {
  const [state, setState] = useState<WarehouseState>({ status: 'connecting', wh: null, error: null, counts: null });
  const [attempt, setAttempt] = useState(0);
  const current = useRef<Warehouse | null>(null);

  useEffect(() => {
    if (!config) {
      setState({ status: 'failed', wh: null, error: null, counts: null });
      return;
    }
    let cancelled = false;
    setState({ status: 'connecting', wh: null, error: null, counts: null });
    void (async () => {
      try {
        const wh = await Warehouse.open(config);
        if (cancelled) return void (await wh.close());
        current.current = wh;
        const counts = await tableCounts(wh).catch(() => null);
        if (!cancelled) setState({ status: 'connected', wh, error: null, counts });
      } catch (error) {
        if (!cancelled) setState({ status: 'failed', wh: null, error: messageOf(error), counts: null });
      }
    })();
    return () => {
      cancelled = true;
      const wh = current.current;
      current.current = null;
      void wh?.close();
    };
  }, [config, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const refreshCounts = useCallback(async () => {
    const wh = current.current;
    if (!wh) return;
    const counts = await tableCounts(wh).catch(() => null);
    setState((s) => (s.wh === wh ? { ...s, counts } : s));
  }, []);
  const close = useCallback(async () => {
    const wh = current.current;
    current.current = null;
    setState((s) => ({ ...s, status: 'closed', wh: null }));
    await wh?.close();
  }, []);
  return { ...state, retry, refreshCounts, close };
}

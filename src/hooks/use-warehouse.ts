import { useCallback, useEffect, useRef, useState } from 'react';
import type { Config } from '../config/types.js';
import { messageOf } from '../error-message.js';
import { Warehouse } from '../warehouse/connection.js';
import { tableCounts, type TableCounts } from '../warehouse/table-counts.js';
import { loadSummary, type LoadSummary } from '../etl/load-summary.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'failed' | 'closed';

export interface WarehouseState {
  status: ConnectionStatus;
  /** The session runs and resets use. */
  wh: Warehouse | null;
  /** A second session for queries, so that they are answered while a run holds the first. */
  reader: Warehouse | null;
  error: string | null;
  counts: TableCounts | null;
  /** The files loaded and the last incremental run (load_history), where there is one. */
  loads: LoadSummary | null;
}

export interface WarehouseHandle extends WarehouseState {
  retry: () => void;
  refreshCounts: () => Promise<void>;
  close: () => Promise<void>;
}

const CONNECTING: WarehouseState = { status: 'connecting', wh: null, reader: null, error: null, counts: null, loads: null };
const NO_CONFIG: WarehouseState = { status: 'failed', wh: null, reader: null, error: null, counts: null, loads: null };

/**
 * Connects in the background (starting the embedded server if needed) so the
 * first frame does not wait for it; closes the connections when the app ends.
 * The state is kept with the attempt it belongs to: a new config or a retry
 * shows 'connecting' from its first render, with no state set in the effect.
 */
export function useWarehouse(config: Config | null): WarehouseHandle {
  const [attempt, setAttempt] = useState(0);
  const [outcome, setOutcome] = useState<{ config: Config; attempt: number; state: WarehouseState } | null>(null);
  const [closed, setClosed] = useState(false);
  const current = useRef<{ wh: Warehouse; reader: Warehouse } | null>(null);

  useEffect(() => {
    if (!config) return;
    let cancelled = false;
    const settle = (state: WarehouseState) => {
      if (!cancelled) setOutcome({ config, attempt, state });
    };
    void (async () => {
      try {
        const wh = await Warehouse.open(config);
        const reader = await wh.openReader().catch(async (error: unknown) => {
          await wh.close();
          throw error;
        });
        if (cancelled) return void (await closeBoth({ wh, reader }));
        current.current = { wh, reader };
        const { counts, loads } = await readTables(wh);
        settle({ status: 'connected', wh, reader, error: null, counts, loads });
      } catch (error) {
        settle({ status: 'failed', wh: null, reader: null, error: messageOf(error), counts: null, loads: null });
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
    const { counts, loads } = await readTables(wh);
    setOutcome((o) => (o?.state.wh === wh ? { ...o, state: { ...o.state, counts, loads } } : o));
  }, []);
  const close = useCallback(async () => {
    const sessions = current.current;
    current.current = null;
    setClosed(true);
    if (sessions) await closeBoth(sessions);
  }, []);
  const state = !config ? NO_CONFIG : outcome?.config === config && outcome.attempt === attempt ? outcome.state : CONNECTING;
  const shown: WarehouseState = closed ? { ...state, status: 'closed', wh: null, reader: null } : state;
  return { ...shown, retry, refreshCounts, close };
}

/** The row counts and what load_history holds; null where they cannot be read (they are shown as unknown). */
async function readTables(wh: Warehouse): Promise<{ counts: TableCounts | null; loads: LoadSummary | null }> {
  const counts = await tableCounts(wh).catch(() => null);
  const loads = await loadSummary(wh).catch(() => null);
  return { counts, loads };
}

/** The reader first: the main session may stop the embedded server as it closes. */
async function closeBoth({ wh, reader }: { wh: Warehouse; reader: Warehouse }): Promise<void> {
  await reader.close();
  await wh.close();
}

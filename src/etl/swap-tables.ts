import { setTimeout as pause } from 'node:timers/promises';
import { DEPENDENT_VIEWS_SQL, swapLockedTables } from '../sql/swap.js';
import type { Statement } from '../sql/statement.js';
import type { TableBuild } from '../sql/table-build.js';
import type { Warehouse } from '../warehouse/connection.js';
import { CancelledError } from '../warehouse/errors.js';
import { formatDuration } from '../format/numbers.js';
import { isDependentsError, tableRefusedDrop } from '../error-message.js';
import { EXIT, SparkifyError } from '../sparkify-error.js';

/** How long the swap keeps trying while another session holds a live table, and how long it gives way between tries. */
export const SWAP_PATIENCE_MS = 60_000;
const SWAP_PAUSE_MS = 300;

export class SwapBlockedError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'SwapBlockedError';
}

interface Blocker {
  pid: number;
  application_name: string;
  usename: string;
  state: string | null;
  relname: string;
}

/** The attempt's wait ran out: its statement_timeout (or, from an older plan, a lock_timeout). */
const WAITED_TOO_LONG = new Set(['57014', '55P03']);

/**
 * Runs the swap. On PostgreSQL each attempt first takes every lock it needs
 * in one statement that may wait a moment at most; if another session holds
 * a live table (an analyst's open transaction), it steps back to its
 * savepoint, lets the readers queued behind it through, and tries again.
 * After a minute it gives up, naming the sessions in the way, and the run
 * rolls back. Redshift can do neither: its swap waits as any DDL does.
 */
export async function swapTables(
  wh: Warehouse,
  { flush, attempt, swap, stepBack }: Record<'flush' | 'attempt' | 'swap' | 'stepBack', readonly Statement[]>,
  build: TableBuild,
  signal: AbortSignal,
  patienceMs = SWAP_PATIENCE_MS,
): Promise<void> {
  // Only a speed-up: a server that refuses it (no privilege) swaps all the same.
  for (const s of flush) await wh.querySideways(s.sql).catch(() => {});
  const deadline = performance.now() + patienceMs;
  for (;;) {
    try {
      for (const s of [...attempt, ...swap]) await wh.query(s.sql, [], signal);
      return;
    } catch (error) {
      if (isDependentsError(error) && !error.detail) throw await withDependents(wh, error);
      const code = (error as { code?: string }).code;
      if (error instanceof CancelledError || signal.aborted || attempt.length === 0 || !WAITED_TOO_LONG.has(code ?? '')) throw error;
      for (const s of stepBack) await wh.query(s.sql, [], signal);
      if (performance.now() > deadline) throw new SwapBlockedError(await describeBlockers(wh, build, patienceMs, signal));
      await pause(SWAP_PAUSE_MS, undefined, { signal }).catch(() => {
        throw new CancelledError();
      });
    }
  }
}

async function describeBlockers(wh: Warehouse, build: TableBuild, patienceMs: number, signal: AbortSignal): Promise<string> {
  const blockers = wh.engine.swapBlockersSql;
  const { rows } = blockers ? await wh.query<Blocker>(blockers, [swapLockedTables(build)], signal) : { rows: [] };
  const who = rows.map(
    (r) => `${r.application_name || 'a client'} (server pid ${r.pid}, user ${r.usename}${r.state ? `, ${r.state}` : ''}) holds ${r.relname}`,
  );
  return `the new tables are ready, but for ${formatDuration(patienceMs)} another session held a table they replace: ${who.join('; ') || 'a session that has since let go'}; end that session's transaction and run again`;
}

/**
 * Redshift refuses to drop a table with a view on it without naming the
 * view: look the views up from a second session (this one's transaction
 * has failed) and give the error the DETAIL PostgreSQL would have given.
 */
async function withDependents(wh: Warehouse, error: Error & { detail?: string }): Promise<Error> {
  const table = tableRefusedDrop(error);
  if (!table) return error;
  const found = await wh.querySideways<{ name: string; kind: string }>(DEPENDENT_VIEWS_SQL, [table]).catch(() => null);
  const lines = (found?.rows ?? []).map((v) => `${v.kind === 'm' ? 'materialized view' : 'view'} ${v.name} depends on table ${table}`);
  if (lines.length > 0) error.detail = lines.join('\n');
  return error;
}

import { DEPENDENT_VIEWS_SQL, SWAP_BLOCKERS_SQL, swapAttemptSql } from '../sql/swap.js';
import type { TableBuild } from '../sql/table-build.js';
import type { Warehouse } from '../warehouse/connection.js';
import { formatDuration } from '../format/numbers.js';
import { isDependentsError, tableRefusedDrop } from './error-message.js';

/** How long the swap keeps trying while another session holds a live table, and how long it gives way between tries. */
export const SWAP_PATIENCE_MS = 60_000;
const SWAP_PAUSE_MS = 300;

export class SwapBlockedError extends Error {
  readonly exitCode = 1;
  override name = 'SwapBlockedError';
}

interface Blocker {
  pid: number;
  application_name: string;
  usename: string;
  state: string | null;
  relname: string;
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Runs the swap. On PostgreSQL each attempt waits a moment at most for a
 * live table that another session holds, then steps back (to a savepoint),
 * lets the readers queued behind it through, and tries again; after a
 * minute it gives up, naming the sessions in the way, and the run rolls
 * back. Redshift has no lock timeout: its swap waits as any DDL does.
 */
export async function swapTables(wh: Warehouse, statements: readonly string[], build: TableBuild, signal: AbortSignal, patienceMs = SWAP_PATIENCE_MS): Promise<void> {
  const attempt = swapAttemptSql(wh.dialect);
  const deadline = performance.now() + patienceMs;
  for (;;) {
    try {
      for (const sql of [...attempt, ...statements]) await wh.query(sql, [], signal);
      return;
    } catch (error) {
      if (isDependentsError(error) && !error.detail) throw await withDependents(wh, error);
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt.length === 0) throw error;
      await wh.query('ROLLBACK TO SAVEPOINT swap', [], signal);
      if (performance.now() > deadline) throw new SwapBlockedError(await describeBlockers(wh, build, patienceMs, signal));
      await new Promise((resolve) => setTimeout(resolve, SWAP_PAUSE_MS));
      signal.throwIfAborted();
    }
  }
}

async function describeBlockers(wh: Warehouse, build: TableBuild, patienceMs: number, signal: AbortSignal): Promise<string> {
  const tables = build.tables.map((t) => t.name);
  const { rows } = await wh.query<Blocker>(SWAP_BLOCKERS_SQL, [tables], signal);
  const who = rows.map((r) => `${r.application_name || 'a client'} (server pid ${r.pid}, user ${r.usename}${r.state ? `, ${r.state}` : ''}) holds ${r.relname}`);
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

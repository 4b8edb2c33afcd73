import { quoteLiteral } from '../../sql/literals.js';
import { swapLockedTables } from '../../sql/swap.js';
import type { TableBuild } from '../../sql/table-build.js';

/**
 * PostgreSQL: how long one attempt at the swap may wait for the live tables
 * it replaces. Readers that arrive while it waits queue behind it, so it
 * waits briefly, gives way, and tries again (see swapTables).
 */
export const SWAP_WAIT_MS = 200;

const tableList = (build: TableBuild) => `ARRAY[${swapLockedTables(build).map(quoteLiteral).join(', ')}]`;

/**
 * What each attempt at the swap starts with, on PostgreSQL: a savepoint to
 * step back to, and every lock the swap needs taken in one statement that
 * may wait SWAP_WAIT_MS in all (statement_timeout; lock_timeout would bound
 * each lock on its own, while the locks already taken hold readers up).
 * The tables are locked only where they exist: a first run finds none.
 */
export function swapAttemptSql(build: TableBuild): string[] {
  const lock = `DO $$
DECLARE live text;
BEGIN
  SELECT string_agg(format('%I', relname), ', ' ORDER BY relname) INTO live FROM pg_class
  WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname = ANY (${tableList(build)});
  IF live IS NOT NULL THEN EXECUTE 'LOCK TABLE ' || live || ' IN ACCESS EXCLUSIVE MODE'; END IF;
END $$`;
  return ['SAVEPOINT swap', `SET LOCAL statement_timeout = '${SWAP_WAIT_MS}ms'`, lock, 'SET LOCAL statement_timeout = DEFAULT'];
}

/** After an attempt that waited too long: back to before it, and the savepoint let go, so that tries do not nest. */
export const SWAP_STEP_BACK = ['ROLLBACK TO SAVEPOINT swap', 'RELEASE SAVEPOINT swap'];

/**
 * The embedded server: its cluster skips the WAL for tables created in the
 * run (wal_level=minimal), so the commit writes the new tables out and
 * syncs them while the swap's locks hold readers up (0.5 to 0.8 s at 1M
 * events, measured). A checkpoint from a second connection just before the
 * swap writes them out first, and the commit has little left to do (readers
 * then wait 20 to 200 ms). Only on the embedded server, which is sparkify's
 * own: elsewhere a checkpoint is the whole server's business, and with the
 * WAL written there is nothing left for the commit to sync.
 */
export const FLUSH_BEFORE_SWAP_SQL = { sql: 'CHECKPOINT', why: 'so that the commit has little left to write while readers wait' };

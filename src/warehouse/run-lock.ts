import type { RedshiftSystemViews } from '../config/types.js';
import { redshiftMonitoring } from '../sql/redshift-system-views.js';
import type { DialectName } from './dialect.js';
import type { Warehouse } from './connection.js';

/** The advisory lock every sparkify run takes on PostgreSQL, so that two runs never interleave. */
const RUN_LOCK = 0x5b4c1f1;

export class RunLockedError extends Error {
  readonly exitCode = 1;
  override name = 'RunLockedError';
}

type Release = () => Promise<void>;

function locked(who: string): RunLockedError {
  return new RunLockedError(`another run is in progress on this warehouse: ${who}; wait for it to finish, or cancel it there`);
}

/**
 * Takes the run lock for this session, or fails at once naming who holds it:
 * an advisory lock on PostgreSQL and the embedded engine, a row in a lock
 * table on Redshift, which has no advisory locks. Either goes with the
 * session: a killed run's lock is free again.
 */
export async function acquireRunLock(wh: Warehouse): Promise<Release> {
  return wh.dialect === 'postgres' ? acquireAdvisoryLock(wh) : acquireTableLock(wh, 'redshift', wh.config.redshiftSystemViews);
}

const ADVISORY = {
  take: `SELECT pg_try_advisory_lock(${RUN_LOCK}) AS locked`,
  release: `SELECT pg_advisory_unlock(${RUN_LOCK})`,
};

/** What a run sends to take the lock when it is free, and to give it back: for --dry-run. */
export function planRunLock(dialect: DialectName, views: RedshiftSystemViews): { take: string[]; release: string[] } {
  if (dialect === 'postgres') return { take: [ADVISORY.take], release: [ADVISORY.release] };
  const sql = lockTableSql(dialect, views);
  const take = `-- $1: the name this process gives the server, sparkify (pid N)\n${sql.take}`;
  return { take: [sql.create, 'BEGIN', sql.lock, sql.dropStale, sql.holders, take, 'COMMIT'], release: [sql.release] };
}

interface Holder {
  pid: number;
  application_name: string;
  query_start: string | null;
}

async function acquireAdvisoryLock(wh: Warehouse): Promise<Release> {
  const { rows } = await wh.query<{ locked: boolean }>(ADVISORY.take);
  if (!rows[0]!.locked) {
    const holders = await wh.query<Holder>(
      `SELECT a.pid, a.application_name, CAST(a.query_start AS TEXT) AS query_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
      [RUN_LOCK],
    );
    const holder = holders.rows[0];
    throw locked(holder ? `${holder.application_name || 'a client'} (server pid ${holder.pid}${holder.query_start ? `, since ${holder.query_start.slice(0, 19)}` : ''})` : 'another session');
  }
  return async () => {
    await wh.query(ADVISORY.release).catch(() => {});
  };
}

/**
 * The statements of the lock table, per dialect: the live sessions are
 * pg_stat_activity's on PostgreSQL, stv_sessions' on a provisioned Redshift
 * cluster and SYS_SESSION_HISTORY's on Redshift Serverless.
 */
export function lockTableSql(dialect: DialectName, views: RedshiftSystemViews = 'provisioned') {
  const redshift = dialect === 'redshift';
  return {
    create: 'CREATE TABLE IF NOT EXISTS sparkify_run_lock (pid INTEGER, holder VARCHAR(256), since TIMESTAMP)',
    // Held only while one run looks at the table and writes its row, so that two cannot both find it empty.
    lock: 'LOCK sparkify_run_lock',
    dropStale: `DELETE FROM sparkify_run_lock WHERE pid NOT IN (${redshift ? redshiftMonitoring(views).liveSessions : 'SELECT pid FROM pg_stat_activity'})`,
    holders: "SELECT pid, holder, TO_CHAR(since, 'YYYY-MM-DD HH24:MI:SS') AS since FROM sparkify_run_lock",
    take: `INSERT INTO sparkify_run_lock (pid, holder, since) VALUES (pg_backend_pid(), $1, ${redshift ? 'GETDATE()' : 'LOCALTIMESTAMP'})`,
    release: 'DELETE FROM sparkify_run_lock WHERE pid = pg_backend_pid()',
  };
}

/**
 * A row in sparkify_run_lock naming this session, taken and given back in
 * short transactions of their own (the run's own transaction comes between).
 * A row whose session no longer exists (a killed run) is removed by the next run.
 */
export async function acquireTableLock(wh: Warehouse, dialect: DialectName, views: RedshiftSystemViews = 'provisioned'): Promise<Release> {
  const sql = lockTableSql(dialect, views);
  await wh.query(sql.create);
  await wh.query('BEGIN');
  try {
    await wh.query(sql.lock);
    await wh.query(sql.dropStale).catch((error: unknown) => {
      throw dialect === 'redshift' && views === 'provisioned' ? asServerlessHint(error) : error;
    });
    const { rows } = await wh.query<{ pid: number; holder: string; since: string }>(sql.holders);
    const holder = rows[0];
    if (holder) throw locked(`${holder.holder} (server pid ${holder.pid}, since ${holder.since})`);
    await wh.query(sql.take, [wh.applicationName]);
    await wh.query('COMMIT');
  } catch (error) {
    await wh.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return async () => {
    await wh.query(sql.release).catch(() => {});
  };
}

const UNDEFINED_TABLE = '42P01';

/** stv_sessions missing: the endpoint is most likely Redshift Serverless under a name sparkify does not recognise. */
function asServerlessHint(error: unknown): unknown {
  if ((error as { code?: string }).code !== UNDEFINED_TABLE || !(error instanceof Error)) return error;
  return new Error(`${error.message} (Redshift Serverless has no STV tables: set [CLUSTER] SERVERLESS=true)`);
}

import type { RedshiftSystemViews } from '../config/types.js';
import { redshiftMonitoring } from '../sql/redshift-system-views.js';
import type { DialectName } from './dialect.js';
import type { Warehouse } from './connection.js';
import { statement, type Statement } from '../sql/statement.js';
import { EXIT, SparkifyError } from '../sparkify-error.js';

/** The advisory lock every sparkify run takes on PostgreSQL, so that two runs never interleave. */
const RUN_LOCK = 0x5b4c1f1;

export class RunLockedError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'RunLockedError';
  constructor(who: string) {
    super(`another run is in progress on this warehouse: ${who}`, 'wait for it to finish, or cancel it there');
  }
}

type Release = () => Promise<void>;

function locked(who: string): RunLockedError {
  return new RunLockedError(who);
}

/** What a run sends to take the lock, and to give it back: printed by --dry-run, sent by the run. */
export interface LockPlan {
  take: Statement[];
  release: Statement[];
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

export function planRunLock(dialect: DialectName, views: RedshiftSystemViews): LockPlan {
  if (dialect === 'postgres') return { take: [ADVISORY.take, ADVISORY.holders], release: [ADVISORY.release] };
  const sql = lockTableStatements(dialect, views);
  return { take: [sql.create, sql.begin, sql.lock, sql.dropStale, sql.holders, sql.rollback, sql.take, sql.commit], release: [sql.release] };
}

const ADVISORY = {
  take: statement(`SELECT pg_try_advisory_lock(${RUN_LOCK}) AS locked`),
  holders: statement(
    `SELECT a.pid, a.application_name, CAST(a.query_start AS TEXT) AS query_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.objid = ${RUN_LOCK} AND l.granted`,
    { onlyIf: 'another run holds the lock (this one then stops, naming it)' },
  ),
  release: statement(`SELECT pg_advisory_unlock(${RUN_LOCK})`),
};

interface Holder {
  pid: number;
  application_name: string;
  query_start: string | null;
}

async function acquireAdvisoryLock(wh: Warehouse): Promise<Release> {
  const { rows } = await wh.query<{ locked: boolean }>(ADVISORY.take.sql);
  if (!rows[0]!.locked) {
    const holder = (await wh.query<Holder>(ADVISORY.holders.sql)).rows[0];
    throw locked(holder ? `${holder.application_name || 'a client'} (server pid ${holder.pid}${holder.query_start ? `, since ${holder.query_start.slice(0, 19)}` : ''})` : 'another session');
  }
  return async () => {
    await wh.query(ADVISORY.release.sql).catch(() => {});
  };
}

/**
 * The SQL of the lock table, per dialect: the live sessions are
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

/** The lock table's statements in the short transaction that takes the lock, and the one that gives it back. */
function lockTableStatements(dialect: DialectName, views: RedshiftSystemViews) {
  const sql = lockTableSql(dialect, views);
  return {
    create: statement(sql.create),
    begin: statement('BEGIN'),
    lock: statement(sql.lock),
    dropStale: statement(sql.dropStale),
    holders: statement(sql.holders),
    rollback: statement('ROLLBACK', { onlyIf: 'another run holds the lock (this one then stops, naming it)' }),
    take: statement(sql.take, { note: '$1: the name this process gives the server, sparkify (pid N)' }),
    commit: statement('COMMIT'),
    release: statement(sql.release),
  };
}

/**
 * A row in sparkify_run_lock naming this session, taken and given back in
 * short transactions of their own (the run's own transaction comes between).
 * A row whose session no longer exists (a killed run) is removed by the next run.
 */
export async function acquireTableLock(wh: Warehouse, dialect: DialectName, views: RedshiftSystemViews = 'provisioned'): Promise<Release> {
  const sql = lockTableStatements(dialect, views);
  await wh.query(sql.create.sql);
  await wh.query(sql.begin.sql);
  try {
    await wh.query(sql.lock.sql);
    await wh.query(sql.dropStale.sql).catch((error: unknown) => {
      throw dialect === 'redshift' && views === 'provisioned' ? asServerlessHint(error) : error;
    });
    const { rows } = await wh.query<{ pid: number; holder: string; since: string }>(sql.holders.sql);
    const holder = rows[0];
    if (holder) throw locked(`${holder.holder} (server pid ${holder.pid}, since ${holder.since})`);
    await wh.query(sql.take.sql, [wh.applicationName]);
    await wh.query(sql.commit.sql);
  } catch (error) {
    await wh.query(sql.rollback.sql).catch(() => {});
    throw error;
  }
  return async () => {
    await wh.query(sql.release.sql).catch(() => {});
  };
}

const UNDEFINED_TABLE = '42P01';

/** stv_sessions missing: the endpoint is most likely Redshift Serverless under a name sparkify does not recognise. */
function asServerlessHint(error: unknown): unknown {
  if ((error as { code?: string }).code !== UNDEFINED_TABLE || !(error instanceof Error)) return error;
  return new Error(`${error.message} (Redshift Serverless has no STV tables: set [CLUSTER] SERVERLESS=true)`);
}

import type { RedshiftSystemViews } from '../../config/types.js';
import { statement } from '../../sql/statement.js';
import type { Warehouse } from '../../warehouse/connection.js';
import type { DialectName } from '../../warehouse/dialect.js';
import type { LockPlan, ReleaseLock } from '../engine.js';
import { locked, WHEN_HELD } from '../run-lock.js';
import { redshiftMonitoring } from './system-views.js';

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
    rollback: statement('ROLLBACK', { onlyIf: WHEN_HELD }),
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
export async function acquireTableLock(wh: Warehouse, dialect: DialectName, views: RedshiftSystemViews = 'provisioned'): Promise<ReleaseLock> {
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

/** What takes and gives back the lock table's lock, in order. */
export function lockTablePlan(views: RedshiftSystemViews): LockPlan {
  const sql = lockTableStatements('redshift', views);
  return { take: [sql.create, sql.begin, sql.lock, sql.dropStale, sql.holders, sql.rollback, sql.take, sql.commit], release: [sql.release] };
}

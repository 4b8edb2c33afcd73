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
  return wh.dialect === 'postgres' ? acquireAdvisoryLock(wh) : acquireTableLock(wh, 'redshift');
}

interface Holder {
  pid: number;
  application_name: string;
  query_start: string | null;
}

async function acquireAdvisoryLock(wh: Warehouse): Promise<Release> {
  const { rows } = await wh.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RUN_LOCK]);
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
    await wh.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK]).catch(() => {});
  };
}

/** The statements of the lock table, per dialect: Redshift names live sessions in stv_sessions. */
export function lockTableSql(dialect: DialectName) {
  const redshift = dialect === 'redshift';
  return {
    create: 'CREATE TABLE IF NOT EXISTS sparkify_run_lock (pid INTEGER, holder VARCHAR(256), since TIMESTAMP)',
    // Held only while one run looks at the table and writes its row, so that two cannot both find it empty.
    lock: 'LOCK sparkify_run_lock',
    dropStale: `DELETE FROM sparkify_run_lock WHERE pid NOT IN (${redshift ? 'SELECT process FROM stv_sessions' : 'SELECT pid FROM pg_stat_activity'})`,
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
export async function acquireTableLock(wh: Warehouse, dialect: DialectName): Promise<Release> {
  const sql = lockTableSql(dialect);
  await wh.query(sql.create);
  await wh.query('BEGIN');
  try {
    await wh.query(sql.lock);
    await wh.query(sql.dropStale);
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

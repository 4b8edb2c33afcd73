import type { Warehouse } from './connection.js';

/** The advisory lock every sparkify run takes, so that two runs never interleave. */
const RUN_LOCK = 0x5b4c1f1;

export class RunLockedError extends Error {
  readonly exitCode = 1;
  override name = 'RunLockedError';
}

interface Holder {
  pid: number;
  application_name: string;
  query_start: string | null;
}

/**
 * Takes the run lock for this session (PostgreSQL and the embedded engine) or
 * fails at once naming who holds it. The lock goes with the session: a killed
 * run releases it. Redshift has no advisory locks; there the run's transaction
 * and Redshift's own table locks serialise writers.
 */
export async function acquireRunLock(wh: Warehouse): Promise<() => Promise<void>> {
  if (wh.dialect !== 'postgres') return async () => {};
  const { rows } = await wh.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RUN_LOCK]);
  if (!rows[0]!.locked) {
    const holders = await wh.query<Holder>(
      `SELECT a.pid, a.application_name, CAST(a.query_start AS TEXT) AS query_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted`,
      [RUN_LOCK],
    );
    const holder = holders.rows[0];
    const who = holder ? `${holder.application_name || 'a client'} (server pid ${holder.pid}${holder.query_start ? `, since ${holder.query_start.slice(0, 19)}` : ''})` : 'another session';
    throw new RunLockedError(`another run is in progress on this warehouse: ${who}; wait for it to finish, or cancel it there`);
  }
  return async () => {
    await wh.query('SELECT pg_advisory_unlock($1)', [RUN_LOCK]).catch(() => {});
  };
}

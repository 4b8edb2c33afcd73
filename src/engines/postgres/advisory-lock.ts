import { statement } from '../../sql/statement.js';
import type { Warehouse } from '../../warehouse/connection.js';
import type { LockPlan, ReleaseLock } from '../engine.js';
import { locked, WHEN_HELD } from '../run-lock.js';

/** The advisory lock every sparkify run takes on PostgreSQL, so that two runs never interleave. */
const RUN_LOCK = 0x5b4c1f1;

const ADVISORY = {
  take: statement(`SELECT pg_try_advisory_lock(${RUN_LOCK}) AS locked`),
  holders: statement(
    `SELECT a.pid, a.application_name, CAST(a.query_start AS TEXT) AS query_start
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.objid = ${RUN_LOCK} AND l.granted`,
    { onlyIf: WHEN_HELD },
  ),
  release: statement(`SELECT pg_advisory_unlock(${RUN_LOCK})`),
};

export const ADVISORY_LOCK_PLAN: LockPlan = { take: [ADVISORY.take, ADVISORY.holders], release: [ADVISORY.release] };

interface Holder {
  pid: number;
  application_name: string;
  query_start: string | null;
}

/** Takes the advisory lock, which goes with the session (a killed run's is free again), or fails at once naming the holder. */
export async function acquireAdvisoryLock(wh: Warehouse): Promise<ReleaseLock> {
  const { rows } = await wh.query<{ locked: boolean }>(ADVISORY.take.sql);
  if (!rows[0]!.locked) {
    const holder = (await wh.query<Holder>(ADVISORY.holders.sql)).rows[0];
    throw locked(
      holder
        ? `${holder.application_name || 'a client'} (server pid ${holder.pid}${holder.query_start ? `, since ${holder.query_start.slice(0, 19)}` : ''})`
        : 'another session',
    );
  }
  return async () => {
    await wh.query(ADVISORY.release.sql).catch(() => {});
  };
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtlEvent, RunSummary } from '../src/etl/events.js';
import { resetSchema, runPipeline } from '../src/etl/runner.js';
import { CHECKS, constraintsInPlace } from '../src/etl/checks.js';
import { acquireTableLock, lockTableSql } from '../src/engines/redshift/lock-table.js';
import { type Warehouse } from '../src/warehouse/connection.js';
import { CancelledError } from '../src/warehouse/errors.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { addBigLog, copyOfMini, MINI, MINI_COUNTS } from './support/fixtures.js';
import { loadedWarehouse, runPipelineOn } from './support/loaded-warehouse.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { untilSessionEnded } from './support/sessions.js';
import { rows } from './support/warehouse.js';

describe('a run is one transaction', () => {
  let wh: Warehouse;
  let database: string;

  beforeAll(async () => {
    wh = await loadedWarehouse();
    database = wh.config.cluster.database;
  });
  afterAll(() => wh?.close());

  it('a reload that fails on bad data leaves the previous tables and rows exactly as they were', async () => {
    const before = await rows(wh, 'SELECT * FROM songplays ORDER BY songplay_id');
    const data = copyOfMini();
    const logFile = path.join(data, 'log_data/2018/11/2018-11-01-mini-events.json');
    const lines = readFileSync(logFile, 'utf8').split('\n');
    lines[4] = lines[4]!.replace('"ts":1541037600000', '"ts":"abc"');
    writeFileSync(logFile, lines.join('\n'));

    const events: EtlEvent[] = [];
    const summary = await runPipelineOn(data, database, { reset: true, onEvent: (e) => events.push(e) });

    expect(summary.status).toBe('failed');
    expect(summary.stages.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(summary.stages[0]!.error).toBe(`${logFile}:5: ts: expected a bigint, got "abc"`);
    expect(events.filter((e) => e.type === 'reset-end')).toHaveLength(1);
    expect(await tableCounts(wh)).toEqual(MINI_COUNTS);
    expect(await rows(wh, 'SELECT * FROM songplays ORDER BY songplay_id')).toEqual(before);
  });

  it('a cancelled extract stops the COPY, shows the stage cancelled and keeps the previous rows', async () => {
    const data = copyOfMini();
    addBigLog(data, 5_000); // about 40,000 events: still extracting when it is cancelled

    const other = await warehouseOn(data, database);
    const controller = new AbortController();
    const progress: number[] = [];
    const summary: RunSummary = await runPipeline(other, {
      reset: true,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'stage-progress') {
          progress.push(e.rows);
          if (progress.length === 2) controller.abort();
        }
      },
    });
    expect(summary.status).toBe('cancelled');
    expect(summary.stages.map((s) => s.status)).toEqual(['cancelled', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(progress[1]!).toBeGreaterThan(progress[0]!);
    expect(progress[1]!).toBeLessThan(40_000);
    // The connection is still usable after the cancel.
    expect(await rows(other, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await other.close();
    expect(await tableCounts(wh)).toEqual(MINI_COUNTS);
  });

  it('a running statement is cancelled on the server and the session stays usable', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    await expect(wh.query('SELECT pg_sleep(30)', [], controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await rows(wh, 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });

  it('runs only the stages asked for, numbering them among themselves', async () => {
    const events: EtlEvent[] = [];
    const summary = await runPipeline(wh, { stages: ['users', 'time'], onEvent: (e) => events.push(e) });
    expect(summary.status).toBe('passed');
    expect(events.filter((e) => e.type === 'stage-end').map((e) => [e.index, e.total, e.stage, e.rows])).toEqual([
      [1, 2, 'users', 3],
      [2, 2, 'time', 7],
    ]);
  });
});

describe('the checks stage', () => {
  it('fails on an empty warehouse, naming each table', async () => {
    await withWarehouse(warehouseOn(MINI), async (wh) => {
      await runPipeline(wh, { reset: true, stages: [] });
      const summary = await runPipeline(wh, { stages: ['checks'] });
      expect(summary.status).toBe('failed');
      expect(summary.stages[0]!.error).toBe('5 checks failed: songplays is empty; users is empty; songs is empty; artists is empty; time is empty');
    });
  });

  it('fails on duplicate keys and orphan plays, saying how many rows', async () => {
    await withWarehouse(loadedWarehouse(), async (wh) => {
      // Take the constraints away so that bad rows can get in, as they can on Redshift.
      const enforced = await constraintsInPlace(wh);
      expect(CHECKS.filter((c) => c.enforcedBy && !enforced.has(c.enforcedBy)).map((c) => c.name)).toEqual([]);
      expect(CHECKS.filter((c) => c.enforcedBy === null).map((c) => c.name)).toEqual([
        'songplays is not empty',
        'users is not empty',
        'songs is not empty',
        'artists is not empty',
        'time is not empty',
      ]);
      await wh.query('ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE');
      const left = await constraintsInPlace(wh);
      expect(CHECKS.filter((c) => c.enforcedBy && !left.has(c.enforcedBy)).map((c) => c.name)).toEqual([
        'users.user_id is unique',
        'songplays.user_id is in users',
      ]);
      await wh.query(`INSERT INTO users VALUES (10, 'Ana', 'Silva', 'F', 'free'), (10, 'Ana', 'Silva', 'F', 'paid')`);
      await wh.query(`INSERT INTO songplays (start_time, user_id, level) VALUES ('2018-11-01 00:01:00.123', 999, 'free')`);
      const summary = await runPipeline(wh, { stages: ['checks'] });
      expect(summary.status).toBe('failed');
      expect(summary.stages[0]!.error).toBe('2 checks failed: 2 rows of users repeat a user_id; 1 row of songplays have a user_id missing from users');
    });
  });
});

describe('after a run', () => {
  it('the foreign keys are back and enforced', async () => {
    await withWarehouse(loadedWarehouse(), async (wh) => {
      await expect(wh.query(`INSERT INTO songplays (start_time, user_id) VALUES ('2018-11-01 00:01:00.123', 999)`)).rejects.toThrow(
        'insert or update on table "songplays" violates foreign key constraint "songplays_user_id_fkey"',
      );
      await expect(wh.query(`INSERT INTO users (user_id) VALUES (10)`)).rejects.toThrow('duplicate key value violates unique constraint "users_pkey"');
    });
  });
});

describe('one run at a time', () => {
  it('a second run stops at once, naming the run that holds the warehouse', async () => {
    const first = await warehouseOn(MINI);
    const second = await warehouseOn(MINI, first.config.cluster.database);
    try {
      const release = await first.engine.acquireRunLock(first);
      const summary = await runPipeline(second, { reset: true });
      expect(summary.status).toBe('failed');
      expect(summary.stages.every((s) => s.status === 'skipped')).toBe(true);
      expect(summary.error).toMatch(
        /^another run is in progress on this warehouse: sparkify .*\(pid \d+\) \(server pid \d+, since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\); wait for it to finish, or cancel it there$/,
      );
      await expect(resetSchema(second)).rejects.toThrow('another run is in progress on this warehouse');
      await release();
      expect((await runPipeline(second, { reset: true })).status).toBe('passed');
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('the lock table (Redshift has no advisory locks), run here on PostgreSQL', () => {
  it("lets one session in, names it to the next, and frees a killed session's row", async () => {
    const first = await warehouseOn(MINI);
    const database = first.config.cluster.database;
    const second = await warehouseOn(MINI, database);
    const third = await warehouseOn(MINI, database);
    try {
      const release = await acquireTableLock(first, 'postgres');
      await expect(acquireTableLock(second, 'postgres')).rejects.toThrow(
        new RegExp(
          `^another run is in progress on this warehouse: sparkify \\(pid ${process.pid}\\) \\(server pid ${first.backendPid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\); wait for it to finish, or cancel it there$`,
        ),
      );
      await release();
      const releaseSecond = await acquireTableLock(second, 'postgres');
      // The holder's session ends without giving the row back, as a killed run's would.
      await third.query('SELECT pg_terminate_backend($1)', [second.backendPid]);
      await untilSessionEnded(third, second.backendPid!);
      expect(await rows(third, 'SELECT count(*)::int AS n FROM sparkify_run_lock')).toEqual([{ n: 1 }]);
      const releaseThird = await acquireTableLock(third, 'postgres');
      expect(await rows(third, 'SELECT pid FROM sparkify_run_lock')).toEqual([{ pid: third.backendPid }]);
      await releaseThird();
      await releaseSecond().catch(() => {});
      expect(await rows(first, 'SELECT count(*)::int AS n FROM sparkify_run_lock')).toEqual([{ n: 0 }]);
    } finally {
      await first.close();
      await second.close().catch(() => {});
      await third.close();
    }
  });

  it('asks Redshift for its live sessions in stv_sessions', () => {
    const sql = lockTableSql('redshift');
    expect(sql.dropStale).toBe('DELETE FROM sparkify_run_lock WHERE pid NOT IN (SELECT process FROM stv_sessions)');
    expect(sql.take).toBe('INSERT INTO sparkify_run_lock (pid, holder, since) VALUES (pg_backend_pid(), $1, GETDATE())');
  });
});

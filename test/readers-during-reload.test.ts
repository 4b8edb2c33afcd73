import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EtlEvent, RunSummary, StageName } from '../src/etl/events.js';
import { runPipeline, type RunOptions } from '../src/etl/runner.js';
import { queryNamed } from '../src/queries/catalog.js';
import { runQuery } from '../src/queries/run-query.js';
import { type Warehouse } from '../src/warehouse/connection.js';
import { tableCounts, type TableCounts } from '../src/warehouse/table-counts.js';
import { addBigLog, copyOfMini, MINI, MINI_COUNTS } from './support/fixtures.js';
import { embeddedProject } from './support/embedded-project.js';
import { holdTable } from './support/embedded-sql.js';
import { loadedWarehouse, reloadPassing, runPipelineOn } from './support/loaded-warehouse.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { spawnCli, stderrReaches } from './support/spawn-cli.js';
import { rows } from './support/warehouse.js';

const PLAYS_BY_HOUR = queryNamed('plays-by-hour')!.sql;
/** The mini fixture's plays by hour. */
const MINI_HOURS = [
  [0, 2],
  [1, 3],
  [2, 1],
  [3, 2],
];
/** With the mini fixture's first day 20,000 times more (addBigLog). */
const BIG_HOURS = [
  [0, 20_002],
  [1, 40_003],
  [2, 1],
  [3, 40_002],
];
// The big log is a ninth file.
const BIG_COUNTS = { ...MINI_COUNTS, staging_events: 160_012, songplays: 100_008, load_history: 9 };

type Phase = StageName | 'setup' | 'keys' | 'swap';

interface Reading {
  /** What the run was doing when the reader asked. */
  during: Phase;
  counts: TableCounts;
  hours: unknown[][];
  ms: number;
}

/**
 * Runs `options` on `loader` while `reader`, another session, counts every
 * table and asks for the plays by hour again and again, waiting at most 1 s
 * for any lock: a reader that had to wait for the run fails instead of
 * being slow.
 */
async function readWhileRunning(loader: Warehouse, reader: Warehouse, options: RunOptions): Promise<{ summary: RunSummary; readings: Reading[]; ms: number }> {
  await reader.query("SET lock_timeout = '1s'");
  let during: Phase = 'setup';
  const onEvent = (e: EtlEvent) => {
    if (e.type === 'stage-start') during = e.stage;
    else if (e.type === 'keys-start') during = 'keys';
    else if (e.type === 'keys-end') during = 'checks';
    else if (e.type === 'swap-start') during = 'swap';
  };
  const started = performance.now();
  let settled = false;
  const run = runPipeline(loader, { ...options, onEvent }).finally(() => (settled = true));
  const readings: Reading[] = [];
  while (!settled) {
    const asked = during as Phase;
    const sent = performance.now();
    const counts = await tableCounts(reader);
    const { rows: hours } = await runQuery(reader, PLAYS_BY_HOUR);
    // A reading sent once the swap has begun may wait for it and the commit.
    if (asked !== 'swap' && !settled) readings.push({ during: asked, counts, hours, ms: performance.now() - sent });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const summary = await run;
  return { summary, readings, ms: performance.now() - started };
}

describe('readers during a run', () => {
  let database: string;
  let reader: Warehouse;
  let big: string;

  beforeAll(async () => {
    const first = await loadedWarehouse();
    database = first.config.cluster.database;
    await first.close();
    reader = await warehouseOn(MINI, database);
    big = copyOfMini();
    addBigLog(big); // 160,000 more events: a reload of seconds
  });
  afterAll(() => reader?.close());

  it('another session is answered at once from the previous warehouse during a reload, and sees the new one after the commit', async () => {
    const { summary, readings, ms } = await withWarehouse(warehouseOn(big, database), (loader) => readWhileRunning(loader, reader, { reset: true }));

    expect(summary.status).toBe('passed');
    expect(readings.length).toBeGreaterThan(20);
    expect(readings.map((r) => r.during)).toEqual(expect.arrayContaining(['staging_events', 'songplays', 'keys']));
    for (const reading of readings) {
      expect(reading.counts).toEqual(MINI_COUNTS);
      expect(reading.hours).toEqual(MINI_HOURS);
    }
    // None waited for the run: the slowest answer took a small fraction of the reload.
    expect(Math.max(...readings.map((r) => r.ms))).toBeLessThan(ms / 10);

    expect(await tableCounts(reader)).toEqual(BIG_COUNTS);
    expect((await runQuery(reader, PLAYS_BY_HOUR)).rows).toEqual(BIG_HOURS);
  });

  it('runs of one stage alone do not hold readers up either: each reader sees the previous rows until the swap', async () => {
    // Half as many copies of the first day: staging_events from them, then songplays, then users (whose key songplays follows).
    const half = copyOfMini();
    addBigLog(half, 10_000);
    const halfEvents = { ...BIG_COUNTS, staging_events: 80_012 };
    const steps: [StageName, TableCounts, TableCounts][] = [
      ['staging_events', BIG_COUNTS, halfEvents],
      ['songplays', halfEvents, { ...halfEvents, songplays: 50_008 }],
      ['users', { ...halfEvents, songplays: 50_008 }, { ...halfEvents, songplays: 50_008 }],
    ];
    for (const [stage, before, after] of steps) {
      const { summary, readings } = await withWarehouse(warehouseOn(half, database), (loader) => readWhileRunning(loader, reader, { stages: [stage] }));
      expect(summary.status).toBe('passed');
      expect(readings.length).toBeGreaterThan(0);
      for (const reading of readings) expect(reading.counts).toEqual(before);
      expect(await tableCounts(reader)).toEqual(after);
    }
    // Back to the large data set for the tests below.
    await withWarehouse(warehouseOn(big, database), reloadPassing);
  });

  it("a kept table's foreign key follows the rebuilt table it references, validated", async () => {
    expect((await runPipelineOn(big, database, { stages: ['users'] })).status).toBe('passed');
    expect(
      await rows(
        reader,
        `SELECT conname, confrelid::regclass::text AS refers, convalidated FROM pg_constraint WHERE conrelid = 'songplays'::regclass AND contype = 'f' ORDER BY conname`,
      ),
    ).toEqual([
      { conname: 'songplays_artist_id_fkey', refers: 'artists', convalidated: true },
      { conname: 'songplays_song_id_fkey', refers: 'songs', convalidated: true },
      { conname: 'songplays_start_time_fkey', refers: '"time"', convalidated: true },
      { conname: 'songplays_user_id_fkey', refers: 'users', convalidated: true },
    ]);
    await expect(reader.query('DELETE FROM users WHERE user_id = 10')).rejects.toThrow(
      'update or delete on table "users" violates foreign key constraint "songplays_user_id_fkey" on table "songplays"',
    );
    // Nothing of the build is left: no table, index, sequence or constraint with a build name.
    expect(await rows(reader, `SELECT relname FROM pg_class WHERE relname LIKE '%\\_\\_build%'`)).toEqual([]);
    expect(await rows(reader, `SELECT conname FROM pg_constraint WHERE conname LIKE '%\\_\\_build%'`)).toEqual([]);
  });

  it('the swap lets readers through while an open transaction holds a table, and goes ahead once it ends', async () => {
    const analyst = await warehouseOn(big, database);
    await analyst.query('BEGIN');
    await analyst.query('SELECT COUNT(*) FROM songplays');
    const loader = await warehouseOn(big, database);
    let keysBuilt = false;
    let swapped = false;
    const run = runPipeline(loader, {
      stages: ['songplays'],
      onEvent: (e) => {
        if (e.type === 'keys-end') keysBuilt = true;
        if (e.type === 'swap-end') swapped = true;
      },
    });
    // The run reaches its swap and keeps trying; meanwhile readers are answered.
    await expect.poll(() => keysBuilt, { timeout: 20_000 }).toBe(true);
    const until = performance.now() + 1500;
    let answered = 0;
    while (performance.now() < until) {
      expect((await runQuery(reader, PLAYS_BY_HOUR)).rows).toEqual(BIG_HOURS);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answered).toBeGreaterThan(10);
    expect(swapped).toBe(false);
    await analyst.query('COMMIT');
    expect((await run).status).toBe('passed');
    expect(swapped).toBe(true);
    await loader.close();
    await analyst.close();
  });

  it('the swap gives up on a session that keeps a table, naming it, and the run rolls back', async () => {
    const analyst = new pg.Client({
      ...reader.config.cluster,
      host: reader.config.cluster.host,
      port: reader.config.cluster.port,
      application_name: 'psql (analyst)',
    });
    await analyst.connect();
    await analyst.query('BEGIN');
    await analyst.query('SELECT COUNT(*) FROM users');
    const summary = await runPipelineOn(big, database, { stages: ['users'], swapPatienceMs: 1000 });
    const pid = (await analyst.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await analyst.query('COMMIT');
    await analyst.end();
    expect(summary.status).toBe('failed');
    expect(summary.error).toBe(
      `the new tables are ready, but for 1.00s another session held a table they replace: psql (analyst) (server pid ${pid}, user ${reader.config.cluster.user}, idle in transaction) holds users; end that session's transaction and run again`,
    );
    expect(await tableCounts(reader)).toEqual(BIG_COUNTS);
  });

  it('an analyst keeps the privileges granted on the tables a run replaces', async () => {
    const role = `analyst_${process.pid}`;
    await reader.query(`CREATE ROLE ${role}`);
    try {
      await reader.query(`GRANT SELECT ON songplays, users TO ${role}`);
      await reader.query(`GRANT INSERT ON load_errors TO ${role} WITH GRANT OPTION`);
      const loader = await warehouseOn(big, database);
      expect((await runPipeline(loader, { stages: ['users'] })).status).toBe('passed');
      expect((await runPipeline(loader, { reset: true })).status).toBe('passed');
      await loader.close();
      const granted = `SELECT table_name, privilege_type, is_grantable FROM information_schema.role_table_grants WHERE grantee = $1 ORDER BY table_name`;
      expect(await rows(reader, granted, [role])).toEqual([
        { table_name: 'load_errors', privilege_type: 'INSERT', is_grantable: 'YES' },
        { table_name: 'songplays', privilege_type: 'SELECT', is_grantable: 'NO' },
        { table_name: 'users', privilege_type: 'SELECT', is_grantable: 'NO' },
      ]);
    } finally {
      await reader.query(`DROP OWNED BY ${role}`);
      await reader.query(`DROP ROLE ${role}`);
    }
  });

  it('a view someone built on a table stops the run, named, and is kept', async () => {
    await reader.query('CREATE VIEW busy_hours AS SELECT start_time FROM songplays');
    try {
      const summary = await runPipelineOn(big, database, { reset: true });
      expect(summary.status).toBe('failed');
      expect(summary.error).toBe(
        'cannot replace songplays: view busy_hours depends on it; drop it before the run and create it again after (sparkify replaces its tables whole, and drops nothing it did not create)',
      );
      expect(await rows(reader, 'SELECT COUNT(*)::int AS n FROM busy_hours')).toEqual([{ n: 100_008 }]);
      expect(await tableCounts(reader)).toEqual(BIG_COUNTS);
    } finally {
      await reader.query('DROP VIEW busy_hours');
    }
  });
});

describe('readers in another terminal (built CLI, real processes)', () => {
  it('sparkify query during a reload answers at once with the previous figures, and with the new ones after', async () => {
    const project = embeddedProject();
    const first = spawnCli(['reload', '--config', project.cfg]);
    expect(await first.exited, first.output.stderr).toBe(0);
    addBigLog(project.data);
    const playsByHour = () => spawnCli(['query', 'plays-by-hour', '--format', 'csv', '--config', project.cfg]);
    const csv = (hours: number[][]) => ['hour,plays', ...hours.map((h) => h.join(','))].join('\r\n') + '\r\n';

    const reload = spawnCli(['reload', '--config', project.cfg]);
    await stderrReaches(reload, 'Reset:');
    // An analyst's open transaction on "time": the reload cannot swap before it ends, so the query certainly comes first.
    const analyst = await holdTable(project.dir, '"time"');
    const during = playsByHour();
    expect(await during.exited, during.output.stderr).toBe(0);
    expect(reload.exitCode).toBeNull();
    expect(reload.output.stderr).not.toContain('Swap:');
    expect(during.output.stdout).toBe(csv(MINI_HOURS));
    await analyst.release();

    expect(await reload.exited, reload.output.stderr).toBe(0);
    const after = playsByHour();
    expect(await after.exited).toBe(0);
    expect(after.output.stdout).toBe(csv(BIG_HOURS));
  });
});

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeBlockRangesSql } from '../src/engines/postgres/ddl.js';
import { tableNamed } from '../src/sql/schema.js';
import { runPipeline } from '../src/etl/runner.js';
import { generateDataset, GENERATE_DEFAULTS } from '../src/generate/generate.js';
import { RESUME_ROW_KEY_CHECKS, SKIP_ROW_KEY_CHECKS } from '../src/sql/append-transforms.js';
import { filesOf, GrowingData } from './support/growing-data.js';
import { openWarehouse, warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { tempDir } from './support/temp-dir.js';
import { logInAs, rows, writeTestConfig } from './support/warehouse.js';
import { warehouseFingerprint } from './support/warehouse-fingerprint.js';

/**
 * An incremental run proves the new plays' foreign keys as a set, then
 * inserts them without the constraint triggers (where the role may): the
 * proof must fail when a key is missing, and the skip must be only the
 * superuser's, and only for that INSERT.
 */
describe("an appended day's plays: their keys proven as a set", () => {
  const from = tempDir();
  generateDataset({ ...GENERATE_DEFAULTS, out: from, events: 6_000, songs: 200, users: 30, days: 6, seed: 11 });
  const { days, songs } = filesOf(from);

  it.each([
    { column: 'artist_id', table: 'artists' },
    { column: 'song_id', table: 'songs' },
  ])(
    'a new play whose $column is missing from $table (star tables out of step) fails the run, naming the key and the count; nothing changes',
    async ({ column, table }) => {
      const data = new GrowingData(from);
      data.add([...days.slice(0, -1), ...songs]);
      const full = new GrowingData(from);
      full.add([...days, ...songs]);
      // Each key's plays over all the days, from a full load.
      const playsOf = await withWarehouse(warehouseOn(full.dir), async (wh) => {
        expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
        const counted = await rows<{ key: string; n: number }>(
          wh,
          `SELECT ${column} AS key, COUNT(*)::int AS n FROM songplays WHERE ${column} IS NOT NULL GROUP BY ${column}`,
        );
        return new Map(counted.map((r) => [r.key, r.n]));
      });
      await withWarehouse(warehouseOn(data.dir), async (wh) => {
        expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
        // The block-range index the append finds the new events and the late ones with, under its live name once swapped in.
        expect(await rows(wh, `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'staging_events'`)).toEqual([
          {
            indexname: 'staging_events_file_id_ts_brin',
            indexdef: "CREATE INDEX staging_events_file_id_ts_brin ON public.staging_events USING brin (file_id, ts) WITH (autosummarize='on')",
          },
        ]);
        // The key with the most plays in the first days, gone from the star tables.
        const [top] = await rows<{ key: string; n: number }>(
          wh,
          `SELECT ${column} AS key, COUNT(*)::int AS n FROM songplays WHERE ${column} IS NOT NULL GROUP BY ${column} ORDER BY n DESC, key LIMIT 1`,
        );
        const newPlays = playsOf.get(top!.key)! - top!.n;
        expect(newPlays).toBeGreaterThan(0);
        await wh.query(`DELETE FROM songplays WHERE ${column} = $1`, [top!.key]);
        await wh.query(`DELETE FROM ${table} WHERE ${column} = $1`, [top!.key]);
        const before = await warehouseFingerprint(wh);
        const history = await rows(wh, `SELECT COUNT(*)::int AS n FROM load_history`);

        data.add([days.at(-1)!]);
        const summary = await runPipeline(wh, { incremental: { prune: false }, record: false });
        expect(summary.status).toBe('failed');
        expect(summary.stages.map((s) => [s.stage, s.status])).toEqual([
          ['staging_events', 'done'],
          ['users', 'done'],
          ['time', 'done'],
          ['songplays', 'failed'],
          ['checks', 'skipped'],
        ]);
        expect(summary.stages[3]!.error).toBe(
          `1 check failed: ${newPlays} new row${newPlays === 1 ? '' : 's'} of songplays have a ${column} missing from ${table}`,
        );
        expect(await warehouseFingerprint(wh)).toEqual(before);
        expect(await rows(wh, `SELECT COUNT(*)::int AS n FROM load_history`)).toEqual(history);
      });
    },
  );

  it("the triggers are skipped only by a superuser, and set back after; another role's session sends neither, so its triggers stay on", async () => {
    await withWarehouse(warehouseOn(tempDir()), async (wh) => {
      const role = () => rows<{ role: string }>(wh, `SELECT current_setting('session_replication_role') AS role`);
      await wh.query('BEGIN');
      try {
        expect(await rows(wh, SKIP_ROW_KEY_CHECKS)).toEqual([{ set_config: 'replica' }]);
        expect(await role()).toEqual([{ role: 'replica' }]);
        expect(await rows(wh, RESUME_ROW_KEY_CHECKS)).toEqual([{ set_config: 'origin' }]);
        expect(await role()).toEqual([{ role: 'origin' }]);

        await wh.query(`CREATE ROLE sparkify_test_not_superuser NOSUPERUSER`);
        await wh.query(`SET LOCAL ROLE sparkify_test_not_superuser`);
        expect(await rows(wh, SKIP_ROW_KEY_CHECKS)).toEqual([]);
        expect(await role()).toEqual([{ role: 'origin' }]);
        expect(await rows(wh, RESUME_ROW_KEY_CHECKS)).toEqual([]);
      } finally {
        await wh.query('ROLLBACK');
      }
    });
  });

  it('each incremental run leaves the block-range index covering the rows it loaded, on a warehouse grown from empty', async () => {
    const data = new GrowingData(from);
    await withWarehouse(warehouseOn(data.dir), async (wh) => {
      expect((await runPipeline(wh, { reset: true, stages: [], record: false })).status).toBe('passed');
      for (const batch of [[...days.slice(0, 3), ...songs], days.slice(3)]) {
        data.add(batch);
        expect((await runPipeline(wh, { incremental: { prune: false }, record: false })).status).toBe('passed');
        // Nothing left to summarise: the run did it. And the session's triggers are on again.
        expect(await rows(wh, `SELECT brin_summarize_new_values('staging_events_file_id_ts_brin')::int AS n`)).toEqual([{ n: 0 }]);
        expect(await rows(wh, `SELECT current_setting('session_replication_role') AS role`)).toEqual([{ role: 'origin' }]);
      }
      const [pages] = await rows<{ n: number }>(wh, `SELECT (pg_relation_size('staging_events') / current_setting('block_size')::int)::int AS n`);
      expect(pages!.n).toBeGreaterThan(128);
    });
  });

  it("a warehouse made before the block-range index: incremental runs still give a reload's tables; summarising is skipped where the role may not", async () => {
    const data = new GrowingData(from);
    data.add([...days.slice(0, -1), ...songs]);
    await withWarehouse(warehouseOn(data.dir), async (wh) => {
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      await wh.query('DROP INDEX staging_events_file_id_ts_brin');
      data.add([days.at(-1)!]);
      expect((await runPipeline(wh, { incremental: { prune: false }, record: false })).status).toBe('passed');
      const full = new GrowingData(from);
      full.add([...days, ...songs]);
      const reloaded = await withWarehouse(warehouseOn(full.dir), async (other) => {
        expect((await runPipeline(other, { reset: true, record: false })).status).toBe('passed');
        return warehouseFingerprint(other);
      });
      expect(await warehouseFingerprint(wh)).toEqual(reloaded);

      await wh.query(`CREATE INDEX staging_events_file_id_ts_brin ON staging_events USING brin (file_id, ts)`);
      const summarize = summarizeBlockRangesSql(tableNamed('staging_events'));
      await wh.query('BEGIN');
      try {
        await wh.query(`CREATE ROLE sparkify_test_not_owner NOSUPERUSER`);
        await wh.query(`SET LOCAL ROLE sparkify_test_not_owner`);
        expect(await rows(wh, summarize)).toEqual([]);
        await wh.query(`RESET ROLE`);
        expect(await rows(wh, summarize)).toEqual([{ ranges: expect.any(Number) as number }]);
      } finally {
        await wh.query('ROLLBACK');
      }
    });
  });

  it("a whole incremental run by a role that owns the warehouse but is no superuser: the triggers kept, the index summarised, a reload's tables", async () => {
    const data = new GrowingData(from);
    data.add([...days.slice(0, -1), ...songs]);
    const { file } = await writeTestConfig(data.dir);
    await logInAs(file, 'sparkify_test_owner', 'owner-password');
    const full = new GrowingData(from);
    full.add([...days, ...songs]);
    const reloaded = await withWarehouse(warehouseOn(full.dir), async (other) => {
      expect((await runPipeline(other, { reset: true, record: false })).status).toBe('passed');
      return warehouseFingerprint(other);
    });
    await withWarehouse(openWarehouse(file), async (wh) => {
      expect(await rows(wh, `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`)).toEqual([{ rolsuper: false }]);
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      data.add([days.at(-1)!]);
      const summary = await runPipeline(wh, { incremental: { prune: false }, record: false });
      expect(summary.error ?? '').toBe('');
      expect(summary.stages.map((s) => s.stage)).toEqual(['staging_events', 'users', 'time', 'songplays', 'checks']);
      expect(await warehouseFingerprint(wh)).toEqual(reloaded);
      expect(await rows(wh, `SELECT brin_summarize_new_values('staging_events_file_id_ts_brin')::int AS n`)).toEqual([{ n: 0 }]);
      expect(await rows(wh, `SELECT current_setting('session_replication_role') AS role`)).toEqual([{ role: 'origin' }]);
    });
  });

  it("a user's event without a time, loaded before, stays their latest (NULL sorts first), as in a reload", async () => {
    const data = new GrowingData(from);
    data.add([...days, ...songs]);
    const lastDay = data.path(days.at(-1)!);
    const events = readFileSync(lastDay, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const someone = events.find((e) => e.userId !== '' && e.userId !== null)!;
    // An earlier day gets an event of theirs with no time and a level of its own.
    const firstDay = data.path(days[0]!);
    const untimed = { ...someone, page: 'Home', ts: null, level: 'untimed', sessionId: 1, itemInSession: 0 };
    writeFileSync(firstDay, `${readFileSync(firstDay, 'utf8').trimEnd()}\n${JSON.stringify(untimed)}\n`);
    const full = await withWarehouse(warehouseOn(data.dir), async (wh) => {
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      expect(await rows(wh, `SELECT level FROM users WHERE user_id = $1`, [Number(someone.userId)])).toEqual([{ level: 'untimed' }]);
      return warehouseFingerprint(wh);
    });
    rmSync(lastDay);
    await withWarehouse(warehouseOn(data.dir), async (wh) => {
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      writeFileSync(lastDay, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
      expect((await runPipeline(wh, { incremental: { prune: false }, record: false })).status).toBe('passed');
      expect(await rows(wh, `SELECT level FROM users WHERE user_id = $1`, [Number(someone.userId)])).toEqual([{ level: 'untimed' }]);
      expect(await warehouseFingerprint(wh)).toEqual(full);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { checksFor } from '../src/etl/checks.js';
import { planPipeline } from '../src/etl/runner.js';
import { redshiftEngine } from '../src/engines/redshift/engine.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { TableBuild } from '../src/sql/table-build.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { HAS_UDACITY, MINI, MINI_COUNTS, UDACITY } from './support/fixtures.js';
import { loadedWarehouse } from './support/loaded-warehouse.js';
import { withWarehouse } from './support/open-warehouse.js';
import { redshiftConfig } from './support/redshift-statements.js';
import { RedshiftShim } from './support/redshift-shim.js';
import { rows, tempDir } from './support/warehouse.js';

const STAR: Record<string, string> = {
  songplays: 'start_time, user_id, level, song_id, artist_id, session_id, location, user_agent',
  users: 'user_id, first_name, last_name, gender, level',
  songs: 'song_id, title, artist_id, "year", duration',
  artists: 'artist_id, name, location, latitude, longitude',
  time: 'start_time, "hour", "day", "week", "month", "year", weekday',
};

/**
 * Loads `dataDir` the PostgreSQL way, keeps its staging (as the shim's
 * source) and its star tables (as what is expected), then runs the Redshift
 * dialect's reload plan through the shim on the same database, and returns
 * the rows in which the two star schemas differ (none, if the Redshift
 * transforms mean what the PostgreSQL ones do).
 */
async function redshiftAgainstPostgres(dataDir: string) {
  return withWarehouse(loadedWarehouse(dataDir), async (wh) => {
    const expectedCounts = await tableCounts(wh);
    await wh.query('CREATE SCHEMA source');
    await wh.query('CREATE SCHEMA expected');
    for (const table of ['staging_events', 'staging_songs', 'load_history']) await wh.query(`CREATE TABLE source.${table} AS SELECT * FROM ${table}`);
    for (const table of Object.keys(STAR)) await wh.query(`CREATE TABLE expected."${table}" AS SELECT * FROM "${table}"`);

    const plan = planPipeline(redshiftEngine('provisioned'), redshiftConfig('provisioned'), { reset: true });
    const shim = await RedshiftShim.on(wh);
    await shim.run(plan);

    const differences: Record<string, number> = {};
    for (const [table, columns] of Object.entries(STAR)) {
      const [found] = await rows<{ n: number }>(
        wh,
        `SELECT COUNT(*)::int AS n FROM ((SELECT ${columns} FROM "${table}" EXCEPT ALL SELECT ${columns} FROM expected."${table}")
         UNION ALL (SELECT ${columns} FROM expected."${table}" EXCEPT ALL SELECT ${columns} FROM "${table}")) d`,
      );
      differences[table] = found!.n;
    }
    // The files the reload recorded, from the server's record of its COPY: the PostgreSQL path's, ETag aside.
    const [history] = await rows<{ n: number }>(
      wh,
      `SELECT COUNT(*)::int AS n FROM ((SELECT table_name, location, size_bytes, modified_at, row_count, rejected_count FROM load_history
         EXCEPT ALL SELECT table_name, location, size_bytes, modified_at, row_count, rejected_count FROM source.load_history)
       UNION ALL (SELECT table_name, location, size_bytes, modified_at, row_count, rejected_count FROM source.load_history
         EXCEPT ALL SELECT table_name, location, size_bytes, modified_at, row_count, rejected_count FROM load_history)) d`,
    );
    differences.load_history = history!.n;
    const checks = checksFor(TableBuild.ALL).map((check) => shim.sent.find((s) => s.sql === check.sql));
    return {
      differences,
      counts: await tableCounts(wh),
      expectedCounts,
      checks: checks.map((c) => (c ? Number(c.rows[0]!.n) : 'not sent')),
      ids: (
        await rows<{ min: number; max: number; distinct: number }>(
          wh,
          'SELECT MIN(songplay_id)::int AS min, MAX(songplay_id)::int AS max, COUNT(DISTINCT songplay_id)::int AS distinct FROM songplays',
        )
      )[0],
    };
  });
}

const NONE = { songplays: 0, users: 0, songs: 0, artists: 0, time: 0, load_history: 0 };

describe("the Redshift dialect's plan, run on PostgreSQL through a shim", () => {
  it('gives the PostgreSQL star tables on the project fixture, its checks all passing', async () => {
    const result = await redshiftAgainstPostgres(MINI);
    expect(result.differences).toEqual(NONE);
    expect(result.counts).toEqual(MINI_COUNTS);
    expect(result.checks).toEqual(Array(21).fill(0));
    // Redshift's IDENTITY(0,1) counts from 0.
    expect(result.ids).toEqual({ min: 0, max: 7, distinct: 8 });
  });

  it('gives the PostgreSQL star tables on generated data', async () => {
    const data = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 20_000, songs: 2_000, users: 60, days: 30 });
    const result = await redshiftAgainstPostgres(data);
    expect(result.differences).toEqual(NONE);
    expect(result.counts).toEqual(result.expectedCounts);
    expect(result.checks).toEqual(Array(21).fill(0));
    expect(result.ids).toEqual({ min: 0, max: result.counts.songplays! - 1, distinct: result.counts.songplays });
  });

  it.runIf(HAS_UDACITY)('gives the PostgreSQL star tables on the Udacity sample', async () => {
    const result = await redshiftAgainstPostgres(UDACITY);
    expect(result.differences).toEqual(NONE);
    expect(result.counts).toEqual({
      staging_events: 8_056,
      staging_songs: 71,
      songplays: 6_820,
      users: 97,
      songs: 71,
      artists: 69,
      time: 6_813,
      load_errors: 0,
      load_history: 101,
    });
    expect(result.checks).toEqual(Array(21).fill(0));
  });
});

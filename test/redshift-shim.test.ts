import { describe, expect, it } from 'vitest';
import { checksFor } from '../src/etl/checks.js';
import { planPipeline } from '../src/etl/runner.js';
import { redshiftEngine } from '../src/engines/redshift/engine.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { TableBuild } from '../src/sql/table-build.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { HAS_UDACITY, MINI, MINI_COUNTS, UDACITY, UDACITY_COUNTS } from './support/fixtures.js';
import { loadedWarehouse } from './support/loaded-warehouse.js';
import { withWarehouse } from './support/open-warehouse.js';
import { redshiftConfig } from './support/redshift-statements.js';
import { RedshiftShim } from './support/redshift-shim.js';
import { keepSourceAndExpected, starDifferences } from './support/shim-comparison.js';
import { rows, tempDir } from './support/warehouse.js';

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
    await keepSourceAndExpected(wh);

    const plan = planPipeline(redshiftEngine('provisioned'), redshiftConfig('provisioned'), { reset: true });
    const shim = await RedshiftShim.on(wh);
    await shim.run(plan);

    const differences = await starDifferences(wh);
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
/** Redshift's server records the files it copies: the client keeps no digest of them (load_digests). */
const NO_DIGESTS = { load_digests: 0 };

describe("the Redshift dialect's plan, run on PostgreSQL through a shim", () => {
  it('gives the PostgreSQL star tables on the project fixture, its checks all passing', async () => {
    const result = await redshiftAgainstPostgres(MINI);
    expect(result.differences).toEqual(NONE);
    expect(result.counts).toEqual({ ...MINI_COUNTS, ...NO_DIGESTS });
    expect(result.checks).toEqual(Array(21).fill(0));
    // Redshift's IDENTITY(0,1) counts from 0.
    expect(result.ids).toEqual({ min: 0, max: 7, distinct: 8 });
  });

  it('gives the PostgreSQL star tables on generated data', async () => {
    const data = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 20_000, songs: 2_000, users: 60, days: 30 });
    const result = await redshiftAgainstPostgres(data);
    expect(result.differences).toEqual(NONE);
    expect(result.counts).toEqual({ ...result.expectedCounts, ...NO_DIGESTS });
    expect(result.checks).toEqual(Array(21).fill(0));
    expect(result.ids).toEqual({ min: 0, max: result.counts.songplays! - 1, distinct: result.counts.songplays });
  });

  it.runIf(HAS_UDACITY)('gives the PostgreSQL star tables on the Udacity sample', async () => {
    const result = await redshiftAgainstPostgres(UDACITY);
    expect(result.differences).toEqual(NONE);
    expect(result.counts).toEqual({ ...UDACITY_COUNTS, load_errors: 0, load_history: 101, ...NO_DIGESTS });
    expect(result.checks).toEqual(Array(21).fill(0));
  });
});

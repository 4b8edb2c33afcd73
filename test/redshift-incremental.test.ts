import { describe, expect, it } from 'vitest';
import { redshiftEngine } from '../src/engines/redshift/engine.js';
import { tableDelta } from '../src/etl/incremental/delta.js';
import { readLoadHistory } from '../src/etl/load-history.js';
import { planRun, printedPlan } from '../src/etl/run-plan.js';
import type { ListedFile } from '../src/etl/sources/source.js';
import { generateDataset, GENERATE_DEFAULTS } from '../src/generate/generate.js';
import { STAGING_TABLES, type StagingTableName } from '../src/sql/schema.js';
import { readLoadHistorySql } from '../src/sql/load-history.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { loadedWarehouse } from './support/loaded-warehouse.js';
import { withWarehouse } from './support/open-warehouse.js';
import { redshiftConfig } from './support/redshift-statements.js';
import { RedshiftShim } from './support/redshift-shim.js';
import { keepSourceAndExpected, starDifferences } from './support/shim-comparison.js';
import { rows, tempDir } from './support/warehouse.js';
import { planPipeline } from '../src/etl/runner.js';

const config = redshiftConfig('provisioned');
const engine = redshiftEngine('provisioned');

/** The source's files as S3 would list them under the configured prefixes (keys as under the local folders). */
async function listing(wh: Warehouse, table: StagingTableName, which: (location: string) => boolean): Promise<ListedFile[]> {
  const prefix = table === 'staging_events' ? config.s3.logData.uri : config.s3.songData.uri;
  const folder = table === 'staging_events' ? '/log_data' : '/song_data';
  const files = await rows<{ file_id: number; location: string; size_bytes: number }>(
    wh,
    `SELECT file_id, location, size_bytes::int AS size_bytes FROM source.load_history WHERE table_name = '${table}' ORDER BY location`,
  );
  return files
    .filter((f) => which(f.location))
    .map((f) => ({ name: `${prefix}${f.location.split(folder)[1]!}`, size: f.size_bytes, modifiedMs: null, etag: `etag-${f.file_id}` }));
}

describe("the Redshift dialect's incremental plan, run on PostgreSQL through the shim", () => {
  it('loads the songs and the first days (rebuilt), then the other days (appended): the star tables of a full load', async () => {
    const data = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 8_000, songs: 400, users: 40, days: 10 });
    await withWarehouse(loadedWarehouse(data), async (wh) => {
      const expectedCounts = await tableCounts(wh);
      await keepSourceAndExpected(wh);
      const shim = await RedshiftShim.on(wh);
      await shim.run(planPipeline(engine, config, { reset: true, stages: [] }));

      const firstDays = (location: string) => /2018-11-0[1-5]/.test(location);
      const batches = [
        { events: firstDays, songs: () => true, expected: ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time', 'checks'] },
        { events: () => true, songs: () => true, expected: ['staging_events', 'users', 'time', 'songplays', 'checks'] },
      ];
      for (const batch of batches) {
        const history = await readLoadHistory(wh, readLoadHistorySql(STAGING_TABLES));
        const deltas = [
          tableDelta('staging_events', await listing(wh, 'staging_events', batch.events), history, false),
          tableDelta('staging_songs', await listing(wh, 'staging_songs', batch.songs), history, false),
        ];
        const plan = planRun(engine, config, { incremental: { deltas, startedAt: new Date('2026-11-30T01:00:00Z'), sent: [] } });
        expect(plan.stages).toEqual(batch.expected);
        const printed = printedPlan(plan);
        // One COPY per new object, by its full key, into the session's scratch table.
        const copies = printed.filter((s) => s.includes('COPY staging_events__incoming'));
        expect(copies).toHaveLength(deltas[0]!.toLoad.length);
        expect(copies[0]).toContain(`FROM '${deltas[0]!.toLoad[0]!.name}'`);
        await shim.run(printed);
      }
      expect(await starDifferences(wh)).toEqual({ songplays: 0, users: 0, songs: 0, artists: 0, time: 0 });
      // Redshift's server wrote the records: no digest of them is kept (load_digests), and each run reads them.
      expect(await tableCounts(wh)).toEqual({ ...expectedCounts, load_digests: 0 });
      const [recorded] = await rows<{ files: number; rows: number }>(wh, 'SELECT COUNT(*)::int AS files, SUM(row_count)::int AS rows FROM load_history');
      expect(recorded).toEqual({ files: 10 + 400, rows: 8_000 + 400 });
    });
  });

  it('a file a reload loaded that changed since fails the run, asking for a reload (its rows carry no file id); a new file beside it does not', () => {
    const loaded = { fileId: 1, table: 'staging_events' as const, location: 's3://b/log_data/a.json', sizeBytes: 10, modifiedMs: null, etag: 'old' };
    const listed = (name: string, etag: string): ListedFile => ({ name, size: 10, modifiedMs: null, etag });
    const songs = tableDelta('staging_songs', [], [], false);
    const plan = (runKind: 'reload' | 'incremental', files: ListedFile[]) =>
      planRun(engine, config, {
        incremental: { deltas: [tableDelta('staging_events', files, [{ ...loaded, runKind }], false), songs], startedAt: new Date(), sent: [] },
      });
    expect(() => plan('reload', [listed(loaded.location, 'new')])).toThrow(
      "s3://b/log_data/a.json changed or is gone since a reload loaded it, and Redshift's COPY of a whole prefix does not record which rows came from which file: run sparkify reload to load it again",
    );
    expect(plan('incremental', [listed(loaded.location, 'new')]).stages[0]).toBe('staging_events');
    expect(plan('reload', [listed(loaded.location, 'old'), listed('s3://b/log_data/b.json', 'b')]).stages).toEqual([
      'staging_events',
      'users',
      'time',
      'songplays',
      'checks',
    ]);
  });

  it('refuses a key that another key extends: a COPY of it would load both', () => {
    const file = (name: string, extendedBy?: string): ListedFile => ({ name, size: 10, modifiedMs: null, etag: 'e', ...(extendedBy ? { extendedBy } : {}) });
    const deltas = [
      tableDelta('staging_events', [file('s3://b/log_data/2018-11-1.json', 's3://b/log_data/2018-11-1.json.bak')], [], false),
      tableDelta('staging_songs', [], [], false),
    ];
    expect(() => planRun(engine, config, { incremental: { deltas, startedAt: new Date(), sent: [] } })).toThrow(
      's3://b/log_data/2018-11-1.json: a COPY of this key would also load s3://b/log_data/2018-11-1.json.bak (COPY reads every key that starts with the one it is given); rename one of them',
    );
  });
});

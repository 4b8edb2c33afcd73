import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/etl/events.js';
import { runPipeline } from '../src/etl/runner.js';
import { localSource } from '../src/etl/sources/local-source.js';
import { generateDataset, GENERATE_DEFAULTS } from '../src/generate/generate.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { HAS_UDACITY, UDACITY, UDACITY_COUNTS } from './support/fixtures.js';
import { filesOf, GrowingData, songsUnder } from './support/growing-data.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { tempDir } from './support/temp-dir.js';
import { rows } from './support/warehouse.js';
import { warehouseFingerprint } from './support/warehouse-fingerprint.js';

/** An incremental run; its summary, which must have passed. */
async function incremental(wh: Warehouse, prune = false): Promise<RunSummary> {
  const summary = await runPipeline(wh, { incremental: { prune }, record: false });
  expect(summary.error ?? '').toBe('');
  expect(summary.status).toBe('passed');
  return summary;
}

/** The staging and star tables a full reload of the folder gives, on a fresh database. */
function reloaded(dataDir: string) {
  return withWarehouse(warehouseOn(dataDir), async (wh) => {
    expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
    return warehouseFingerprint(wh);
  });
}

/**
 * Adds each batch to a growing copy of `from` and runs an incremental load
 * after it, starting from an empty warehouse; after each run, the tables are
 * compared with a full reload of the same files. Returns the warehouse's
 * database, the data folder and the last run's summary.
 */
async function loadInBatches(from: string, batches: string[][]) {
  const data = new GrowingData(from);
  const wh = await warehouseOn(data.dir);
  try {
    expect((await runPipeline(wh, { reset: true, stages: [], record: false })).status).toBe('passed');
    let last: RunSummary | null = null;
    for (const batch of batches) {
      data.add(batch);
      last = await incremental(wh);
      expect(await warehouseFingerprint(wh)).toEqual(await reloaded(data.dir));
    }
    return { data, database: wh.config.cluster.database, last: last!, fingerprint: await warehouseFingerprint(wh) };
  } finally {
    await wh.close();
  }
}

describe.runIf(HAS_UDACITY)('incremental loads of the real sample, split by days and song folders, in several orders', () => {
  // Read only where the sample is: the body of a skipped describe still runs.
  const { days, songs } = HAS_UDACITY ? filesOf(UDACITY) : { days: [], songs: [] };
  const dayRange = (first: number, last: number) => days.slice(first - 1, last);

  it('has 30 days and 6 song folders to split', () => {
    expect(days).toHaveLength(30);
    expect(songs).toHaveLength(71);
  });

  it('every song first, then the days in three batches (appended): the same tables as a reload after each', async () => {
    const { last, fingerprint } = await loadInBatches(UDACITY, [[...songs, ...dayRange(1, 10)], dayRange(11, 20), dayRange(21, 30)]);
    expect(last.changes).toEqual([
      { table: 'staging_events', added: 10, changed: 0, missing: 0, pruned: false, unchanged: 20 },
      { table: 'staging_songs', added: 0, changed: 0, missing: 0, pruned: false, unchanged: 71 },
    ]);
    expect(last.stages.map((s) => s.stage)).toEqual(['staging_events', 'users', 'time', 'songplays', 'checks']);
    expect(Object.fromEntries(Object.entries(fingerprint).map(([t, f]) => [t, f.rows]))).toEqual(UDACITY_COUNTS);
  });

  it('days and song folders interleaved, the one matching song arriving after its play (a late-arriving dimension)', async () => {
    const { data, database } = await loadInBatches(UDACITY, [
      [...dayRange(1, 10), ...songsUnder(songs, 'A/A/A')],
      dayRange(11, 21),
      songsUnder(songs, 'A/A/B', 'A/B/A'),
      [...dayRange(22, 30), ...songsUnder(songs, 'A/B/B')],
      songsUnder(songs, 'A/A/C', 'A/B/C'),
    ]);
    await withWarehouse(warehouseOn(data.dir, database), async (wh) => {
      const matched = await rows(wh, 'SELECT s.title FROM songplays sp JOIN songs s USING (song_id)');
      expect(matched).toEqual([{ title: 'Setanta matins' }]);
    });
  });

  it('the days in reverse: a user keeps the level and names of their latest event, whichever run brought it', async () => {
    const { data, database } = await loadInBatches(UDACITY, [[...songs, ...dayRange(21, 30)], dayRange(11, 20), dayRange(1, 10)]);
    await withWarehouse(warehouseOn(data.dir, database), async (wh) => {
      expect(await rows(wh, 'SELECT level, COUNT(*)::int AS n FROM users GROUP BY level ORDER BY level')).toEqual([
        { level: 'free', n: 75 },
        { level: 'paid', n: 22 },
      ]);
    });
  });
});

describe('incremental loads of generated data', () => {
  const from = tempDir();
  generateDataset({ ...GENERATE_DEFAULTS, out: from, events: 30_000, songs: 600, users: 60, days: 12, seed: 7 });
  const { days, songs } = filesOf(from);

  it('a larger generated set in four batches, half the songs late: the same tables as a reload after each', async () => {
    expect(days).toHaveLength(12);
    const half = Math.floor(songs.length / 2);
    const { fingerprint } = await loadInBatches(from, [[...days.slice(0, 4), ...songs.slice(0, half)], days.slice(4, 8), songs.slice(half), days.slice(8)]);
    expect(fingerprint.staging_events!.rows).toBe(30_000);
    expect(fingerprint.staging_songs!.rows).toBe(songs.length);
  });

  it("after a reload whose rows have no file id (Redshift's COPY of a prefix), an earlier day arriving late leaves each user's latest level", async () => {
    const data = new GrowingData(from);
    data.add([...days.slice(1), ...songs]);
    await withWarehouse(warehouseOn(data.dir), async (wh) => {
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      await wh.query('UPDATE staging_events SET file_id = NULL');
      data.add([days[0]!]);
      const summary = await incremental(wh);
      expect(summary.stages.map((s) => s.stage)).toEqual(['staging_events', 'users', 'time', 'songplays', 'checks']);
      expect(await warehouseFingerprint(wh)).toEqual(await reloaded(data.dir));
    });
  });

  describe('a warehouse of every file, changed afterwards', () => {
    let data: GrowingData;
    let database: string;

    beforeAll(async () => {
      ({ data, database } = await loadInBatches(from, [[...days, ...songs]]));
    });
    const open = () => warehouseOn(data.dir, database);
    const historyOf = (wh: Warehouse) =>
      rows<{ n: number; rows: number }>(wh, `SELECT COUNT(*)::int AS n, SUM(row_count)::int AS rows FROM load_history WHERE table_name = 'staging_events'`);

    it('nothing new: says so, runs no stage, and changes nothing', async () => {
      await withWarehouse(open(), async (wh) => {
        const before = await warehouseFingerprint(wh);
        const history = await historyOf(wh);
        const summary = await incremental(wh);
        expect(summary.stages).toEqual([]);
        expect(summary.changes!.map((c) => c.added + c.changed)).toEqual([0, 0]);
        expect(await warehouseFingerprint(wh)).toEqual(before);
        expect(await historyOf(wh)).toEqual(history);
        expect(history).toEqual([{ n: 12, rows: 30_000 }]);
        // What let it skip reading load_history: each table's record has its listing's digest.
        const listed = await Promise.all(['log_data', 'song_data'].map((folder) => localSource(data.path(folder)).catalog()));
        expect(await rows(wh, 'SELECT table_name, file_count::int AS files, digest FROM load_digests ORDER BY table_name')).toEqual([
          { table_name: 'staging_events', files: 12, digest: listed[0]!.digest.toString() },
          { table_name: 'staging_songs', files: listed[1]!.digest.count, digest: listed[1]!.digest.toString() },
        ]);
      });
    });

    it('a rewritten day file: its earlier rows are replaced, not added to', async () => {
      const day = data.path(days[5]!);
      const lines = readFileSync(day, 'utf8').trimEnd().split('\n');
      // A shorter day, and its first event's user now paid.
      const first = JSON.parse(lines[0]!) as Record<string, unknown>;
      writeFileSync(day, [JSON.stringify({ ...first, level: first.level === 'paid' ? 'free' : 'paid' }), ...lines.slice(1, -40)].join('\n'));
      await withWarehouse(open(), async (wh) => {
        const summary = await incremental(wh);
        expect(summary.changes![0]).toEqual({ table: 'staging_events', added: 0, changed: 1, missing: 0, pruned: false, unchanged: 11 });
        expect(summary.stages[0]).toMatchObject({ stage: 'staging_events', rows: lines.length - 40, removed: lines.length });
        expect(await warehouseFingerprint(wh)).toEqual(await reloaded(data.dir));
        expect(await historyOf(wh)).toEqual([{ n: 12, rows: 30_000 - 40 }]);
      });
    });

    it('a deleted file: reported and kept; with --prune its rows go', async () => {
      const gone = data.path(days[2]!);
      const text = readFileSync(gone, 'utf8');
      await withWarehouse(open(), async (wh) => {
        const before = await warehouseFingerprint(wh);
        rmSync(gone);
        const kept = await incremental(wh);
        expect(kept.changes![0]).toEqual({ table: 'staging_events', added: 0, changed: 0, missing: 1, pruned: false, unchanged: 11 });
        expect(kept.stages).toEqual([]);
        expect(await warehouseFingerprint(wh)).toEqual(before);

        const pruned = await incremental(wh, true);
        expect(pruned.changes![0]).toEqual({ table: 'staging_events', added: 0, changed: 0, missing: 1, pruned: true, unchanged: 11 });
        expect(pruned.stages[0]).toMatchObject({ stage: 'staging_events', rows: 0, removed: text.trimEnd().split('\n').length });
        expect(await warehouseFingerprint(wh)).toEqual(await reloaded(data.dir));
        const lost = text.trimEnd().split('\n').length;
        expect(await historyOf(wh)).toEqual([{ n: 11, rows: 30_000 - 40 - lost }]);
      });
      writeFileSync(gone, text);
    });

    // Last: it leaves the warehouse unlike a reload (the file's rows are in it twice).
    it('a load_history row deleted by hand: the digest is no longer taken as current, and the file counts as new', async () => {
      await withWarehouse(open(), async (wh) => {
        // The file the test before put back loads first.
        expect((await incremental(wh)).changes![0]!.added).toBe(1);
        await wh.query(`DELETE FROM load_history WHERE table_name = 'staging_events' AND location = $1`, [data.path(days[7]!)]);
        const summary = await incremental(wh);
        expect(summary.changes![0]).toEqual({ table: 'staging_events', added: 1, changed: 0, missing: 0, pruned: false, unchanged: 11 });
        expect(await rows(wh, `SELECT file_count::int AS files FROM load_digests WHERE table_name = 'staging_events'`)).toEqual([{ files: 12 }]);
        expect((await incremental(wh)).stages).toEqual([]);
      });
    });
  });
});

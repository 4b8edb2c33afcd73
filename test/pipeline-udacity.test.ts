import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery } from '../src/queries/run-query.js';
import { queryNamed } from '../src/queries/catalog.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { HAS_UDACITY, UDACITY, UDACITY_COUNTS } from './support/fixtures.js';
import { loadedWarehouse } from './support/loaded-warehouse.js';
import { rows } from './support/warehouse.js';

// Figures computed independently from the raw files (DEVELOPERS.md, issue 2).
describe.runIf(HAS_UDACITY)('the real Udacity sample', () => {
  let wh: Warehouse;

  beforeAll(async () => {
    wh = await loadedWarehouse(UDACITY);
  });
  afterAll(() => wh?.close());

  it('loads exactly the expected rows into every table', async () => {
    // load_history: a file each, 30 days of logs and 71 song files.
    expect(await tableCounts(wh)).toEqual({ ...UDACITY_COUNTS, load_errors: 0, load_history: 101, load_digests: 2 });
  });

  it('matches exactly one play to a song: Elena, "Setanta matins"', async () => {
    const matched = await rows(wh, `SELECT s.title, a.name FROM songplays sp JOIN songs s USING (song_id) JOIN artists a ON a.artist_id = sp.artist_id`);
    expect(matched).toEqual([{ title: 'Setanta matins', name: 'Elena' }]);
  });

  it('gives each user the level of their latest event: 22 paid, 75 free', async () => {
    expect(await rows(wh, `SELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level`)).toEqual([
      { level: 'free', n: 75 },
      { level: 'paid', n: 22 },
    ]);
  });

  it('peaks at 16h UTC with 542 plays', async () => {
    const result = await runQuery(wh, queryNamed('plays-by-hour')!.sql);
    const byHour = new Map(result.rows.map(([hour, plays]) => [Number(hour), plays]));
    expect(result.rows).toHaveLength(24);
    expect(byHour.get(16)).toBe(542);
    expect(Math.max(...result.rows.map((r) => Number(r[1])))).toBe(542);
  });

  it('keeps the milliseconds of ts in start_time', async () => {
    const [first] = await rows(wh, `SELECT CAST(start_time AS TEXT) AS t FROM songplays ORDER BY start_time LIMIT 1`);
    expect(first).toEqual({ t: '2018-11-01 21:01:46.796' });
  });
});

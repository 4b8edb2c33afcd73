import { describe, expect, it } from 'vitest';
import { runPipeline } from '../src/etl/runner.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { QUERIES, type CannedQuery } from '../src/queries/catalog.js';
import { runQuery } from '../src/queries/run-query.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { HAS_UDACITY, MINI, UDACITY } from './support/fixtures.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { REFERENCE_QUERIES } from './support/reference-queries.js';
import { tempDir } from './support/temp-dir.js';

/** The queries without a LIMIT order some rows only by their counts: equal counts may come in either order there. */
const ORDERED_BY_COUNT_ONLY = new Set(['paid-vs-free', 'plays-by-gender']);

/** Each query's bind values to try: a few of the artists and users the data has. */
async function paramsOf(wh: Warehouse, query: CannedQuery): Promise<unknown[][]> {
  if (!query.params) return [[]];
  if (query.name === 'artist-plays') {
    const { rows } = await runQuery(wh, `SELECT name FROM artists ORDER BY artist_id LIMIT 3`);
    return [...rows.map((r) => [String(r[0]).toUpperCase()]), ['nobody at all']];
  }
  const { rows } = await runQuery(wh, `SELECT user_id FROM users ORDER BY user_id LIMIT 3`);
  return [...rows, [-1]];
}

/** Every canned query's rows, each next to what its plain form (before it was rewritten for speed) gives. */
async function bothForms(wh: Warehouse) {
  const results: { name: string; params: unknown[]; rows: unknown[][]; reference: unknown[][] | null }[] = [];
  for (const query of QUERIES) {
    for (const params of await paramsOf(wh, query)) {
      const plain = REFERENCE_QUERIES[query.name];
      const reference = plain === undefined ? null : (await runQuery(wh, plain, params)).rows;
      const rows = (await runQuery(wh, query.sql, params)).rows;
      results.push({ name: query.name, params, rows, reference });
    }
  }
  return results;
}

function expectSameResults(results: Awaited<ReturnType<typeof bothForms>>) {
  const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
  for (const { name, params, rows, reference } of results) {
    if (reference === null) continue;
    const label = `${name} ${JSON.stringify(params)}`;
    if (ORDERED_BY_COUNT_ONLY.has(name)) expect(sorted(rows), label).toEqual(sorted(reference));
    else expect(rows, label).toEqual(reference);
  }
}

async function loaded<T>(data: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  return withWarehouse(warehouseOn(data), async (wh) => {
    expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
    return work(wh);
  });
}

describe('the canned queries give what their plain forms give', () => {
  it('has the plain form of every query rewritten for speed', () => {
    const unchanged = QUERIES.filter((q) => !(q.name in REFERENCE_QUERIES)).map((q) => q.name);
    expect(unchanged).toEqual(['song-match-rate', 'artist-plays', 'user-history']);
    expect(Object.keys(REFERENCE_QUERIES)).toHaveLength(QUERIES.length - unchanged.length);
  });

  it('on the project fixture', async () => {
    const results = await loaded(MINI, bothForms);
    expectSameResults(results);
    expect(results.filter((r) => r.rows.length > 0).map((r) => r.name)).toContain('top-songs');
  });

  it('on generated data: every figure pinned', async () => {
    const data = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 30_000, songs: 1_500, users: 80, days: 30, seed: 16 });
    const results = await loaded(data, bothForms);
    expectSameResults(results);
    // Every query answers something here, but the lookups of nobody.
    expect(results.filter((r) => r.rows.length === 0).map((r) => `${r.name} ${JSON.stringify(r.params)}`)).toEqual([
      'artist-plays ["nobody at all"]',
      'user-history [-1]',
    ]);
    expect(Object.fromEntries(results.map((r) => [`${r.name} ${JSON.stringify(r.params)}`, r.rows]))).toMatchSnapshot();
  });

  it.runIf(HAS_UDACITY)('on the real Udacity sample', async () => {
    expectSameResults(await loaded(UDACITY, bothForms));
  });
});

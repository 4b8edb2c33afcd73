import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../src/etl/runner.js';
import { DEPENDENT_VIEWS_SQL } from '../src/sql/swap.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { MINI_COUNTS } from './support/fixtures.js';
import { loadedWarehouse } from './support/loaded-warehouse.js';
import { rows } from './support/warehouse.js';

/**
 * The warehouse as Redshift answers: its "cannot drop table … because other
 * objects depend on it" has no DETAIL naming the views (Developer Guide,
 * DROP TABLE). Everything else is the test server's own.
 */
function withoutDetail(wh: Warehouse): Warehouse {
  return Object.assign(Object.create(wh) as Warehouse, {
    async query(...args: Parameters<Warehouse['query']>) {
      try {
        return await wh.query(...args);
      } catch (error) {
        delete (error as { detail?: string }).detail;
        throw error;
      }
    },
  });
}

describe('a view someone built on a table the run replaces, on Redshift', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await loadedWarehouse();
    await wh.query('CREATE VIEW paid_users AS SELECT user_id FROM users WHERE level = $$paid$$');
    await wh.query('CREATE VIEW user_names AS SELECT first_name FROM users');
    await wh.query('CREATE MATERIALIZED VIEW user_count AS SELECT COUNT(*) AS n FROM users');
  });
  afterAll(() => wh?.close());

  it('the catalog names the views on a table, of this schema, and nothing for a table without any', async () => {
    expect(await rows(wh, DEPENDENT_VIEWS_SQL, ['users'])).toEqual([
      { name: 'paid_users', kind: 'v' },
      { name: 'user_count', kind: 'm' },
      { name: 'user_names', kind: 'v' },
    ]);
    expect(await rows(wh, DEPENDENT_VIEWS_SQL, ['songs'])).toEqual([]);
  });

  it('stops the run with one line naming each view and the way out, and keeps the views and the rows', async () => {
    const summary = await runPipeline(withoutDetail(wh), { stages: ['users'] });
    expect(summary.status).toBe('failed');
    expect(summary.error).toBe(
      'cannot replace users: view paid_users, materialized view user_count, view user_names depend on it; drop them before the run and create them again after (sparkify replaces its tables whole, and drops nothing it did not create)',
    );
    expect(await rows(wh, 'SELECT COUNT(*)::int AS n FROM user_names')).toEqual([{ n: 3 }]);
    expect(await tableCounts(wh)).toEqual(MINI_COUNTS);
  });
});

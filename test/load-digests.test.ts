import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChanges } from '../src/etl/incremental/find-changes.js';
import { runPipeline } from '../src/etl/runner.js';
import { CURRENT_DIGESTS_SQL, LOAD_DIGESTS_PRESENT_SQL } from '../src/sql/load-digests.js';
import { readLoadHistorySql } from '../src/sql/load-history.js';
import { STAGING_EVENTS } from '../src/sql/schema.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { copyOfMini } from './support/fixtures.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { rows } from './support/warehouse.js';
import { warehouseFingerprint } from './support/warehouse-fingerprint.js';

const DAY = 'log_data/2018/11/2018-11-01-mini-events.json';

/** What an incremental run would read, and what it would find of the events. */
async function found(wh: Warehouse) {
  const { sent, deltas } = await findChanges(wh, wh.config, false, new Date());
  const events = deltas[0]!;
  return { historyRead: sent.filter((s) => s.startsWith('SELECT file_id')), events: { toLoad: events.toLoad.length, unchanged: events.unchanged } };
}

/**
 * The digest of a table's record (load_digests) lets an incremental run skip
 * reading the record only while the server finds the record as it was when
 * the digest was taken: an edit by hand, or a run by a sparkify that knows
 * no digests, must make the run read it again.
 */
describe('load_digests: when a record is read again', () => {
  it('after a reload, a run reads the digests and no record; a record rewritten by another run, or with a row deleted by hand, is read again', async () => {
    const data = copyOfMini();
    await withWarehouse(warehouseOn(data), async (wh) => {
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      const { sent } = await findChanges(wh, wh.config, false, new Date());
      expect(sent).toEqual([LOAD_DIGESTS_PRESENT_SQL, CURRENT_DIGESTS_SQL]);
      expect((await found(wh)).events).toEqual({ toLoad: 0, unchanged: 2 });

      // Rewritten by another run (a sparkify before digests writes none), or a row deleted by hand: the record is read again.
      const location = path.join(data, DAY);
      await wh.query(`UPDATE load_history SET loaded_at = loaded_at + INTERVAL '1 second' WHERE table_name = 'staging_events'`);
      expect(await found(wh)).toEqual({ historyRead: [readLoadHistorySql([STAGING_EVENTS])], events: { toLoad: 0, unchanged: 2 } });
      // Nothing changed, so the run writes nothing, its digest too: the record is read until a run changes it.
      expect((await runPipeline(wh, { incremental: {}, record: false })).stages).toEqual([]);
      expect((await found(wh)).historyRead).toEqual([readLoadHistorySql([STAGING_EVENTS])]);

      await wh.query(`DELETE FROM load_history WHERE location = $1`, [location]);
      expect(await found(wh)).toEqual({ historyRead: [readLoadHistorySql([STAGING_EVENTS])], events: { toLoad: 1, unchanged: 1 } });
      // The run that loads it writes the digest of the record it leaves.
      expect((await runPipeline(wh, { incremental: {}, record: false })).status).toBe('passed');
      expect(await found(wh)).toEqual({ historyRead: [], events: { toLoad: 0, unchanged: 2 } });
    });
  });

  it('a digest that is not one (edited by hand) is not taken: the record is read, and the run is as without it', async () => {
    const data = copyOfMini();
    await withWarehouse(warehouseOn(data), async (wh) => {
      expect((await runPipeline(wh, { reset: true, record: false })).status).toBe('passed');
      const before = await warehouseFingerprint(wh);
      await wh.query(`UPDATE load_digests SET digest = 'not a digest' WHERE table_name = 'staging_events'`);
      expect(await found(wh)).toEqual({ historyRead: [readLoadHistorySql([STAGING_EVENTS])], events: { toLoad: 0, unchanged: 2 } });
      const summary = await runPipeline(wh, { incremental: {}, record: false });
      expect(summary.status).toBe('passed');
      expect(summary.stages).toEqual([]);
      expect(await warehouseFingerprint(wh)).toEqual(before);
      expect(await rows(wh, `SELECT digest FROM load_digests WHERE table_name = 'staging_events'`)).toEqual([{ digest: 'not a digest' }]);
    });
  });
});

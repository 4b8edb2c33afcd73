import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runPipeline } from '../src/etl/runner.js';
import { Warehouse } from '../src/warehouse/connection.js';
import { MINI } from './support/fixtures.js';
import { withWarehouse } from './support/open-warehouse.js';
import { startS3, uploadFolder, type TestS3 } from './support/s3-server.js';
import { rows, writeTestConfig } from './support/warehouse.js';
import { warehouseFingerprint } from './support/warehouse-fingerprint.js';

const DAY = 'log_data/2018/11/2018-11-01-mini-events.json';

describe('incremental loads from s3:// (s3rver): new objects by listing, changed ones by ETag', () => {
  let s3: TestS3;
  const env = () => ({
    SPARKIFY_S3_ENDPOINT: s3.endpoint,
    SPARKIFY_AWS_KEY: 'S3RVER',
    SPARKIFY_AWS_SECRET: 'S3RVER',
    SPARKIFY_S3_LOG_DATA: 's3://inc/log_data',
    SPARKIFY_S3_LOG_JSONPATH: 's3://inc/log_json_path.json',
    SPARKIFY_S3_SONG_DATA: 's3://inc/song_data',
  });
  const put = (key: string, body: string) => s3.client.send(new PutObjectCommand({ Bucket: 'inc', Key: key, Body: body }));
  const open = async (database?: string) => Warehouse.open(loadConfig({ configPath: (await writeTestConfig(MINI, { database })).file, env: env() }));
  /** The tables a reload of the bucket as it is now gives, on a fresh database. */
  const reloaded = () =>
    withWarehouse(open(), async (wh) => {
      expect((await runPipeline(wh, { reset: true })).status).toBe('passed');
      return warehouseFingerprint(wh);
    });

  beforeAll(async () => {
    s3 = await startS3(['inc']);
    await uploadFolder(s3, MINI, 'inc', '');
  });
  afterAll(() => s3?.stop());

  it('a new object is loaded; an object rewritten with the same size is seen by its ETag and replaced', async () => {
    await withWarehouse(open(), async (wh) => {
      expect((await runPipeline(wh, { reset: true })).status).toBe('passed');
      const [recorded] = await rows<{ n: number; etags: number }>(wh, 'SELECT COUNT(*)::int AS n, COUNT(etag)::int AS etags FROM load_history');
      expect(recorded).toEqual({ n: 8, etags: 8 });

      const day = readFileSync(path.join(MINI, DAY), 'utf8');
      await put(DAY.replace('01-mini', '02-new'), day);
      const added = await runPipeline(wh, { incremental: {} });
      expect(added.changes![0]).toEqual({ table: 'staging_events', added: 1, changed: 0, missing: 0, pruned: false, unchanged: 2 });
      expect(await warehouseFingerprint(wh)).toEqual(await reloaded());

      // The same length: only the ETag tells the new version from the old.
      const rewritten = day.replace('"level":"free"', '"level":"paid"');
      expect(rewritten).not.toBe(day);
      expect(rewritten.length).toBe(day.length);
      await put(DAY, rewritten);
      const changed = await runPipeline(wh, { incremental: {} });
      expect(changed.changes![0]).toEqual({ table: 'staging_events', added: 0, changed: 1, missing: 0, pruned: false, unchanged: 2 });
      expect(changed.status).toBe('passed');
      expect(await warehouseFingerprint(wh)).toEqual(await reloaded());
    });
  });
});

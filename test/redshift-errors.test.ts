import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { COPY_STARTED_SQL, copyOnRedshift } from '../src/engines/redshift/load-errors.js';
import { describeS3Error } from '../src/etl/sources/s3-source.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tempDir } from './support/temp-dir.js';

// No Redshift cluster and no AWS region can be reached from the tests: these
// stand in for the answers they give, taken from their documentation.
function fakeRedshift(loadErrors: object[]) {
  const side: { sql: string; values: unknown[] }[] = [];
  const wh = {
    backendPid: 1234,
    config: { redshiftSystemViews: 'provisioned' },
    async query(sql: string) {
      if (sql.startsWith('COPY')) throw new Error("Load into table 'staging_events' failed.  Check 'stl_load_errors' system table for details.");
      if (sql === 'SELECT GETDATE() AS started') return { rows: [{ started: '2018-11-30 21:04:05' }] };
      return { rows: [] };
    },
    async querySideways(sql: string, values: unknown[]) {
      side.push({ sql, values });
      return { rows: loadErrors };
    },
  } as unknown as Warehouse;
  return { wh, side };
}

describe('a failed Redshift COPY', () => {
  it('reports the first rows of stl_load_errors for this session since the server time before the COPY', async () => {
    const { wh, side } = fakeRedshift([
      { filename: 's3://udacity-dend/log_data/2018/11/2018-11-30-events.json', line_number: 12, colname: 'ts', err_reason: "Invalid digit, Value 'a'" },
    ]);
    await expect(copyOnRedshift(wh, COPY_STARTED_SQL, "COPY staging_events FROM 's3://udacity-dend/log_data'", new AbortController().signal)).rejects.toThrow(
      "Load into table 'staging_events' failed.  Check 'stl_load_errors' system table for details.: s3://udacity-dend/log_data/2018/11/2018-11-30-events.json:12 ts: Invalid digit, Value 'a'",
    );
    expect(side[0]!.sql).toContain('FROM stl_load_errors WHERE session = $1');
    expect(side[0]!.values).toEqual([1234, '2018-11-30 21:04:05']);
  });

  it('keeps the original error when stl_load_errors has nothing', async () => {
    const { wh } = fakeRedshift([]);
    await expect(copyOnRedshift(wh, COPY_STARTED_SQL, 'COPY x', new AbortController().signal)).rejects.toThrow(
      /Check 'stl_load_errors' system table for details\.$/,
    );
  });
});

describe('S3 errors', () => {
  const config = loadConfig({ cwd: tempDir(), env: {} });
  it('says when the bucket is in another region', () => {
    expect(describeS3Error({ name: 'PermanentRedirect', $metadata: { httpStatusCode: 301 } }, config)).toBe(
      'the bucket is not in region us-west-2 (set [S3] REGION)',
    );
    expect(describeS3Error({ name: 'AuthorizationHeaderMalformed', $metadata: { httpStatusCode: 400 } }, config)).toBe(
      'the bucket is not in region us-west-2 (set [S3] REGION)',
    );
  });
});

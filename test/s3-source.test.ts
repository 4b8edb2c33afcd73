import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { runPipeline } from '../src/etl/runner.js';
import { localSource } from '../src/etl/sources/local-source.js';
import { s3Source } from '../src/etl/sources/s3-source.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { MINI, MINI_COUNTS } from './support/fixtures.js';
import { withWarehouse } from './support/open-warehouse.js';
import { startS3, uploadFolder, type TestS3 } from './support/s3-server.js';
import { spawnCli } from './support/spawn-cli.js';
import { rows, tempDir, writeTestConfig } from './support/warehouse.js';

/** Reloads a fresh database with the given overrides of dwh.cfg, and returns what it holds. */
async function reloadWith(env: NodeJS.ProcessEnv) {
  const { file } = await writeTestConfig(MINI);
  return withWarehouse(Warehouse.open(loadConfig({ configPath: file, env })), async (wh) => {
    const summary = await runPipeline(wh, { reset: true });
    if (summary.status !== 'passed') return { summary };
    return {
      summary,
      counts: await tableCounts(wh),
      songplays: await rows(wh, 'SELECT * FROM songplays ORDER BY songplay_id'),
      users: await rows(wh, 'SELECT * FROM users ORDER BY user_id'),
      artists: await rows(wh, 'SELECT * FROM artists ORDER BY artist_id'),
    };
  });
}

describe('S3 as a source, against a real S3 server (s3rver)', () => {
  let s3: TestS3;
  let bigSongs: string;
  const s3Env = () => ({
    SPARKIFY_S3_ENDPOINT: s3.endpoint,
    SPARKIFY_AWS_KEY: 'S3RVER',
    SPARKIFY_AWS_SECRET: 'S3RVER',
    SPARKIFY_S3_LOG_DATA: 's3://udacity-dend/log_data',
    SPARKIFY_S3_LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
    SPARKIFY_S3_SONG_DATA: 's3://udacity-dend/song_data',
  });

  beforeAll(async () => {
    s3 = await startS3(['udacity-dend', 'big-songs']);
    // The fixture in the Udacity layout: log_data/2018/11/…, song_data/A/B/C/…, log_json_path.json.
    await uploadFolder(s3, MINI, 'udacity-dend', '');
    // More than 1,000 song objects under one prefix, so the listing takes several pages.
    bigSongs = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: bigSongs, events: 300, songs: 1_200, users: 10, days: 1 });
    await uploadFolder(s3, path.join(bigSongs, 'song_data'), 'big-songs', 'song_data/');
  });
  afterAll(() => s3?.stop());

  it('an ETL from s3:// gives exactly the warehouse the same files give from a local folder', async () => {
    const local = await reloadWith({});
    const remote = await reloadWith(s3Env());
    expect(local.summary.status).toBe('passed');
    expect(remote.summary.status).toBe('passed');
    expect(remote.counts).toEqual(MINI_COUNTS);
    expect(remote.counts).toEqual(local.counts);
    expect(remote.songplays).toEqual(local.songplays);
    expect(remote.users).toEqual(local.users);
    expect(remote.artists).toEqual(local.artists);
  });

  it('the built CLI reloads from s3:// and gives exactly the warehouse the local files give', async () => {
    const reload = async (env: NodeJS.ProcessEnv) => {
      const { file } = await writeTestConfig(MINI);
      const cli = spawnCli(['reload', '--config', file], env);
      expect(await cli.exited, cli.output.stderr).toBe(0);
      return withWarehouse(file, async (wh) => {
        const tables = await Promise.all(
          ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time'].map((t) => rows(wh, `SELECT * FROM ${t} ORDER BY ${t}::text`)),
        );
        return { stderr: cli.output.stderr.replace(/\d+\.\d\ds/g, 'T'), counts: await tableCounts(wh), tables };
      });
    };
    const local = await reload({});
    const remote = await reload(s3Env());
    expect(remote.counts).toEqual(MINI_COUNTS);
    // The same lines (12 rows, 4.5 KB; 6 rows, 1.5 KB; …) and the same rows in every table.
    expect(remote.stderr).toBe(local.stderr);
    expect(remote.stderr).toContain('1 of 8 OK staging_events ....................... 12 rows, 4.5 KB in T\n');
    expect(remote.tables).toEqual(local.tables);

    const missing = spawnCli(['reload', '--config', (await writeTestConfig(MINI)).file], {
      ...s3Env(),
      SPARKIFY_S3_SONG_DATA: 's3://no-such-bucket/song_data',
    });
    expect(await missing.exited).toBe(1);
    expect(missing.output.stderr).toMatch(
      /\n2 of 8 FAIL staging_songs \.+ failed after \d+\.\d\ds\n {2}error: s3:\/\/no-such-bucket\/song_data: no such bucket\n/,
    );
  });

  it('reads without credentials with unsigned requests, as for the public Udacity bucket', async () => {
    const { SPARKIFY_AWS_KEY: _key, SPARKIFY_AWS_SECRET: _secret, ...unsigned } = s3Env();
    const remote = await reloadWith(unsigned);
    expect(remote.summary.stages[0]!.error).toBeUndefined();
    expect(remote.summary.status).toBe('passed');
    expect(remote.counts?.songplays).toBe(8);
  });

  it('lists a prefix of more than 1,000 objects page by page, in the same order as the local folder', async () => {
    const config = loadConfig({ cwd: tempDir(), env: { ...s3Env(), SPARKIFY_S3_SONG_DATA: 's3://big-songs/song_data' } });
    const remote = await s3Source(config.s3.songData as { uri: string; bucket: string; key: string }, config).list();
    const local = await localSource(path.join(bigSongs, 'song_data')).list();
    expect(remote).toHaveLength(1_200);
    expect(remote.map((f) => f.name.replace('s3://big-songs/song_data/', ''))).toEqual(
      local.map((f) => path.relative(path.join(bigSongs, 'song_data'), f.name)),
    );
    const first = await remote[0]!.readSmall(1 << 20);
    expect(first!.equals((await local[0]!.readSmall(1 << 20))!)).toBe(true);
  });

  it('names the URI and the cause when a bucket or prefix is wrong', async () => {
    const failing = async (env: NodeJS.ProcessEnv) => (await reloadWith({ ...s3Env(), ...env })).summary.stages[0]!.error;
    expect(await failing({ SPARKIFY_S3_LOG_DATA: 's3://no-such-bucket/log_data' })).toBe('s3://no-such-bucket/log_data: no such bucket');
    expect(await failing({ SPARKIFY_S3_LOG_DATA: 's3://udacity-dend/nothing-here' })).toBe(
      's3://udacity-dend/nothing-here: no .json objects under this prefix',
    );
    expect(await failing({ SPARKIFY_S3_ENDPOINT: 'http://127.0.0.1:1' })).toBe(
      's3://udacity-dend/log_json_path.json: cannot reach the S3 endpoint http://127.0.0.1:1',
    );
    expect(await failing({ SPARKIFY_AWS_KEY: 'NOT-A-KEY' })).toBe(
      's3://udacity-dend/log_json_path.json: access denied (check [AWS] KEY and SECRET, or the bucket policy)',
    );
  });
});

/**
 * `npm run bench:s3`: reading many small objects from an S3 server, the shape
 * of the Udacity song_data (14,896 objects of a few hundred bytes), where the
 * time per request dominates. Uses s3rver on loopback and the same source and
 * read-ahead as the extract. Writes bench/results/s3.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load-config.js';
import { readAhead } from '../src/etl/sources/read-ahead.js';
import { s3Source } from '../src/etl/sources/s3-source.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { startS3, uploadFolder } from '../test/support/s3-server.js';
import { removeTempDirs, tempDir } from '../test/support/temp-dir.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OBJECTS = 5_000;

const s3 = await startS3(['songs']);
try {
  const data = tempDir();
  generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 100, songs: OBJECTS, users: 10, days: 1 });
  await uploadFolder(s3, path.join(data, 'song_data'), 'songs', 'song_data/');
  const config = loadConfig({
    cwd: tempDir(),
    env: { SPARKIFY_S3_ENDPOINT: s3.endpoint, SPARKIFY_AWS_KEY: 'S3RVER', SPARKIFY_AWS_SECRET: 'S3RVER', SPARKIFY_S3_SONG_DATA: 's3://songs/song_data' },
  });
  const location = config.s3.songData as { uri: string; bucket: string; key: string };
  const runs = [];
  for (const depth of [1, 8, 32, 64]) {
    const started = performance.now();
    const files = await s3Source(location, config).list();
    const listed = performance.now();
    let bytes = 0;
    for await (const { content } of readAhead(files, depth)) bytes += content?.length ?? 0;
    const ms = performance.now() - started;
    runs.push({
      inFlight: depth,
      objects: files.length,
      listSeconds: Math.round(listed - started) / 1000,
      seconds: Math.round(ms) / 1000,
      objectsPerSecond: Math.round(files.length / (ms / 1000)),
      bytes,
    });
    console.log(
      `${String(depth).padStart(3)} in flight: ${files.length} objects in ${(ms / 1000).toFixed(2)}s (listing ${((listed - started) / 1000).toFixed(2)}s) = ${Math.round(files.length / (ms / 1000))} objects/s`,
    );
  }
  const report = { machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`, server: 's3rver 3.7.1 on 127.0.0.1', runs };
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/s3.json'), `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await s3.stop();
  removeTempDirs();
}
process.exit(0);

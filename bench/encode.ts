/**
 * Turning JSON into COPY text alone, in this process: no reading, no server.
 * The files of a bench data set are read into memory first (not timed), then
 * turned into rows as a load does (FileRows with one byte encoder for all the
 * files; a file over 1 MB in 1 MB pieces), best of N rounds. For scale, the
 * same files through the general path (JSON.parse and the row encoders) and
 * JSON.parse of each line alone. The md5 of each table's COPY text (by the
 * byte path) shows whether a change to the encoders changed their output. (The
 * general path's differs: it writes a double as JavaScript prints it, the
 * byte path as the file has it, e.g. 1539627437110 and 1539627437110.0.)
 *
 *   npx tsx bench/encode.ts                          # 100k events, best of 15
 *   npx tsx bench/encode.ts --events 1000000 --rounds 5
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CopyBuffer } from '../src/etl/copy-buffer.js';
import { FileRows } from '../src/etl/file-rows.js';
import { FastRowEncoder } from '../src/etl/fast-row-encoder.js';
import { parseJsonPathsFile } from '../src/etl/jsonpaths.js';
import { eventRows, songRows, type RowMapping } from '../src/etl/row-encoders.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { SMALL_FILE } from '../src/etl/sources/source.js';
import { STAGING_EVENTS, STAGING_SONGS } from '../src/sql/schema.js';
import { dataset } from './dataset.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '15' },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const dir = dataset(Number(values.events));
const PIECE = 1 << 20;

const filesOf = (folder: string) => jsonFilesUnder(path.join(dir, folder)).map((file) => ({ file, bytes: readFileSync(file) }));
const logs = filesOf('log_data');
const songs = filesOf('song_data');
const paths = parseJsonPathsFile(readFileSync(path.join(dir, 'log_json_path.json'), 'utf8'), 'log_json_path.json');
const events = eventRows(paths, STAGING_EVENTS, 'log_json_path.json');
const songRowsOf = songRows(STAGING_SONGS);

/** Every file's rows, as copy-into-staging makes them; the COPY text's md5 and length. */
function encodeAll(files: { file: string; bytes: Buffer }[], mapping: RowMapping): { md5: string; bytes: number } {
  const out = new CopyBuffer();
  const encoder = mapping.fast ? new FastRowEncoder(mapping.fast, out) : undefined;
  const md5 = createHash('md5');
  let bytes = 0;
  for (const { file, bytes: content } of files) {
    const rows = new FileRows(file, mapping, out, encoder);
    if (content.length < SMALL_FILE) rows.end(content);
    else {
      for (let at = 0; at < content.length; at += PIECE) rows.push(content.subarray(at, at + PIECE));
      rows.end();
    }
    if (out.len >= PIECE) {
      const chunk = out.take();
      md5.update(chunk);
      bytes += chunk.length;
      out.recycle(chunk);
    }
  }
  const chunk = out.take();
  md5.update(chunk);
  return { md5: md5.digest('hex'), bytes: bytes + chunk.length };
}

function parseLines(files: { bytes: Buffer }[]): void {
  for (const { bytes } of files) for (const line of bytes.toString().split('\n')) if (line) JSON.parse(line);
}

/**
 * The fastest of the rounds, in ms of wall time and of CPU time (the process's,
 * garbage collector threads included): on a shared machine the CPU time
 * varies less.
 */
function best(work: () => unknown): { wall: number; cpu: number } {
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const used = process.cpuUsage();
    work();
    const { user, system } = process.cpuUsage(used);
    wall = Math.min(wall, performance.now() - started);
    cpu = Math.min(cpu, (user + system) / 1000);
  }
  return { wall, cpu };
}

const general = (mapping: RowMapping): RowMapping => ({ ...mapping, fast: null });
const generalEvents = general(events);
const generalSongs = general(songRowsOf);
const eventsText = encodeAll(logs, events);
const songsText = encodeAll(songs, songRowsOf);

const mb = (n: number) => (n / 2 ** 20).toFixed(1);
const logBytes = logs.reduce((n, f) => n + f.bytes.length, 0);
console.log(`${logs.length} log files (${mb(logBytes)} MB), ${songs.length} song files; best of ${rounds}, ms of wall and CPU time:`);
const row = (label: string, work: () => unknown) => {
  const { wall, cpu } = best(work);
  console.log(`  ${label.padEnd(34)}${wall.toFixed(1).padStart(8)}${cpu.toFixed(1).padStart(8)}`);
};
row('events, byte path', () => encodeAll(logs, events));
row('songs, byte path', () => encodeAll(songs, songRowsOf));
row('events, general path', () => encodeAll(logs, generalEvents));
row('songs, general path', () => encodeAll(songs, generalSongs));
row('events, JSON.parse of each line', () => parseLines(logs));
console.log(`COPY text md5: staging_events ${eventsText.md5} (${eventsText.bytes} bytes), staging_songs ${songsText.md5} (${songsText.bytes} bytes)`);

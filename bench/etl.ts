/**
 * `npm run bench`: the full reload on the embedded engine at several scales,
 * against the floor (the server's own COPY of the same rows already turned
 * into COPY text, plus the same transform SQL) and, at small scales, against
 * one parameterised INSERT per row (the approach of the seed scripts).
 *
 *   npm run bench                      # 10k, 100k and 1M events, 3 runs each
 *   npm run bench -- --scales 10000,50000 --insert-max 100000 --runs 5 --query-runs 5
 *
 * Each figure is the run of median total time (the floor's too): one run
 * varies by ±10% on a shared 2-core machine. Reloads and floors take turns
 * on one server.
 *
 * After each reload, DuckDB does the same job on the same files (bench/peer.ts,
 * the peer of issue 16): the whole and each stage against sparkify's, and each
 * canned query's time on both; its tables and answers must equal sparkify's.
 *
 * Then, in turn with each reload, the incremental scenario (bench/incremental.ts):
 * 29 of the 30 days reloaded, the 30th added and `sparkify etl --incremental`
 * timed, then again with nothing new; its tables must equal the full reload's.
 *
 * Data is generated once into bench/.data/ (git-ignored) and reused.
 * Results: bench/results/etl.json and a table on stdout.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import type { StageName } from '../src/etl/events.js';
import { JsonObjectSplitter } from '../src/etl/json-objects.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { parseJsonPathsFile } from '../src/etl/jsonpaths.js';
import { CopyBuffer } from '../src/etl/copy-buffer.js';
import { FileRows } from '../src/etl/file-rows.js';
import { eventRows, songRows, type RowMapping } from '../src/etl/row-encoders.js';
import { createTableSql } from '../src/sql/render-ddl.js';
import { freshSchemaSql, POSTGRES_DDL, statisticsTargetSql } from '../src/engines/postgres/ddl.js';
import { postgresEngine } from '../src/engines/postgres/engine.js';
import { analyzeSql } from '../src/sql/staging-load.js';
import { keysSql } from '../src/engines/postgres/swap.js';
import { TableBuild } from '../src/sql/table-build.js';
import { STAGING_EVENTS, STAGING_SONGS, type Table } from '../src/sql/schema.js';
import { insertSql, type StarTableName } from '../src/sql/transforms.js';
import { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { DATA, ROOT, dataset } from './dataset.js';
import {
  differences,
  fingerprint,
  incrementalFigures,
  incrementalRound,
  partialDataset,
  printIncremental,
  runPipelineCli,
  type CliRun,
} from './incremental.js';
import { duckDbFile, peerFigures, peerRound, printPeer, removeDuckDbFile, type PeerRound } from './peer.js';
import { runDuckDbJob } from './duckdb-peer.js';

const TRANSFORMS: StarTableName[] = ['songplays', 'users', 'songs', 'artists', 'time'];

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '10000,100000,1000000' },
    'insert-max': { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    'query-runs': { type: 'string', default: '5' },
  },
});
const runs = Math.max(1, Number(values.runs));
const scales = values.scales.split(',').map(Number);
const insertMax = Number(values['insert-max']);
const queryRuns = Math.max(1, Number(values['query-runs']));

const seconds = (ms: number) => Math.round(ms) / 1000;
const mb = (bytes: number) => bytes / 1024 / 1024;

function configFor(dir: string): string {
  const file = path.join(DATA, `dwh-${path.basename(dir)}.cfg`);
  writeFileSync(file, `[S3]\nLOG_DATA=${dir}/log_data\nLOG_JSONPATH=${dir}/log_json_path.json\nSONG_DATA=${dir}/song_data\n`);
  return file;
}

/** `sparkify reload` as users run it: its own process, its stages from last-run.json, its peak RSS. */
function reload(configFile: string): CliRun {
  return runPipelineCli(['reload'], configFile);
}

/**
 * The rows of a data set as COPY text files, made once (not timed): the input
 * of the floor. Each row ends with its file's id, as a reload sends it (the
 * staging tables' file_id); `.copy` files made before that are not used.
 */
function copyTextFile(dir: string, table: Table, mapping: RowMapping, source: string): string {
  const out = path.join(dir, `${table.name}.file-ids.copy`);
  if (!existsSync(out)) {
    const fd = openSync(out, 'w', 0o644);
    const text = new CopyBuffer();
    for (const [i, file] of jsonFilesUnder(source).entries()) {
      const rows = new FileRows(file, mapping, text, undefined, undefined, i + 1);
      rows.push(readFileSync(file));
      rows.end();
      if (text.len > 1 << 24) writeSync(fd, text.take());
    }
    writeSync(fd, text.take());
    closeSync(fd);
  }
  return out;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** The server's own COPY of pre-made COPY text, then the same transforms, in one transaction. */
async function floor(wh: Warehouse, dir: string) {
  const paths = parseJsonPathsFile(readFileSync(path.join(dir, 'log_json_path.json'), 'utf8'), 'log_json_path.json');
  const eventsFile = copyTextFile(dir, STAGING_EVENTS, eventRows(paths, STAGING_EVENTS, 'jsonpaths'), path.join(dir, 'log_data'));
  const songsFile = copyTextFile(dir, STAGING_SONGS, songRows(STAGING_SONGS), path.join(dir, 'song_data'));
  // As a reload builds them: new tables beside the live ones, keys once the rows are in.
  const build = TableBuild.ALL;
  await wh.query('BEGIN');
  for (const table of build.tables) for (const sql of [createTableSql(table, POSTGRES_DDL, build), ...statisticsTargetSql(table, build)]) await wh.query(sql);
  const ms: Record<string, number> = {};
  [, ms.staging_events] = await timed(async () => {
    await wh.query(`COPY ${build.ref('staging_events')} FROM '${eventsFile}'`);
    await wh.query(analyzeSql(STAGING_EVENTS, build));
  });
  [, ms.staging_songs] = await timed(async () => {
    await wh.query(`COPY ${build.ref('staging_songs')} FROM '${songsFile}'`);
    await wh.query(analyzeSql(STAGING_SONGS, build));
  });
  for (const table of TRANSFORMS) {
    [, ms[table]] = await timed(async () => {
      await wh.query(insertSql(table, postgresEngine(), build));
    });
  }
  [, ms.keys] = await timed(async () => {
    for (const sql of keysSql(build)) await wh.query(sql);
  });
  await wh.query('ROLLBACK');
  return ms;
}

/** One INSERT per row, as the seed scripts load staging. */
async function rowByRow(wh: Warehouse, dir: string): Promise<number> {
  const paths = parseJsonPathsFile(readFileSync(path.join(dir, 'log_json_path.json'), 'utf8'), 'log_json_path.json');
  const load = async (table: Table, source: string, values: (o: Record<string, unknown>) => unknown[]) => {
    const sql = `INSERT INTO ${table.name} VALUES (${table.columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    for (const file of jsonFilesUnder(source)) {
      const objects: Record<string, unknown>[] = [];
      const splitter = new JsonObjectSplitter((value) => objects.push(value as Record<string, unknown>));
      splitter.push(readFileSync(file, 'utf8'));
      splitter.end();
      for (const object of objects) await wh.query(sql, values(object));
    }
  };
  const nullIfEmpty = (v: unknown) => (v === '' ? null : v);
  await wh.query('BEGIN');
  for (const sql of freshSchemaSql()) await wh.query(sql);
  const [, ms] = await timed(async () => {
    await load(STAGING_EVENTS, path.join(dir, 'log_data'), (o) => paths.map((p) => nullIfEmpty(p.get(o))));
    await load(STAGING_SONGS, path.join(dir, 'song_data'), (o) => STAGING_SONGS.columns.map((c) => o[c.name] ?? null));
  });
  await wh.query('ROLLBACK');
  return ms;
}

const EXTRACT: StageName[] = ['staging_events', 'staging_songs'];

function median<T>(items: T[], by: (item: T) => number): T {
  return [...items].sort((a, b) => by(a) - by(b))[Math.floor((items.length - 1) / 2)]!;
}

mkdirSync(DATA, { recursive: true });
chmodSync(DATA, 0o755);
const results = [];
for (const events of scales) {
  const dir = dataset(events);
  const cfg = configFor(dir);
  const jsonBytes = jsonFilesUnder(path.join(dir, 'log_data')).reduce((n, f) => n + statSync(f).size, 0);
  // One server for both (the reloads join it), and their runs taken in turns,
  // so that a slower minute of a shared machine weighs on both alike.
  const wh = await Warehouse.open(loadConfig({ configPath: cfg }));
  reload(cfg); // warm the caches
  (await runDuckDbJob(dir, duckDbFile(dir))).session.close(); // and DuckDB's
  const reloads = [];
  const floors = [];
  // The incremental scenario takes its turn after each reload and floor; its
  // tables must then equal the full reload's (counts each round, rows once).
  const partial = partialDataset(dir);
  const rounds = [];
  const peerRounds: PeerRound[] = [];
  let matches = true;
  for (let i = 0; i < runs; i++) {
    reloads.push(reload(cfg));
    const fullCounts = await tableCounts(wh);
    const fullPrint = i === 0 ? await fingerprint(wh) : null;
    const peer = await peerRound(wh, dir, fullCounts, i === 0, queryRuns);
    peerRounds.push(peer);
    if (peer.differences.length > 0) {
      console.error(`MISMATCH at ${events} events, round ${i + 1}: DuckDB's tables or answers differ from sparkify's\n  ${peer.differences.join('\n  ')}`);
    }
    floors.push(await floor(wh, dir));
    const round = await incrementalRound(partial, wh);
    rounds.push(round);
    const differ = [...differences(fullCounts, round.counts), ...(fullPrint ? differences(fullPrint, await fingerprint(wh)) : [])];
    if (differ.length > 0) {
      matches = false;
      console.error(`MISMATCH at ${events} events, round ${i + 1}: the incremental run's tables differ from the full reload's\n  ${differ.join('\n  ')}`);
    }
  }
  partial.removeLastDay();
  removeDuckDbFile(dir);
  if (reloads.some((r) => r.summary.status !== 'passed')) throw new Error('a reload did not pass');
  const { summary } = median(reloads, (r) => r.summary.ms);
  const peakRssMb = Math.max(...reloads.map((r) => r.peakRssMb));
  const floorMs = median(floors, (f) => Object.values(f).reduce((a, b) => a + b, 0));
  const insertMs = events <= insertMax ? await rowByRow(wh, dir) : null;
  await wh.close();

  const stages = summary.stages.map((s) => ({
    stage: s.stage,
    seconds: seconds(s.ms),
    rows: s.rows,
    rowsPerSecond: s.unit === 'checks' ? null : Math.round(s.rows / (s.ms / 1000)),
    mbPerSecond: s.bytes ? Math.round((mb(s.bytes) / (s.ms / 1000)) * 10) / 10 : null,
    floorSeconds: floorMs[s.stage] !== undefined ? seconds(floorMs[s.stage]!) : null,
  }));
  const extractMs = summary.stages.filter((s) => EXTRACT.includes(s.stage)).reduce((n, s) => n + s.ms, 0);
  const extractFloorMs = floorMs.staging_events! + floorMs.staging_songs!;
  const floorTotalMs = Object.values(floorMs).reduce((a, b) => a + b, 0);
  results.push({
    events,
    songs: summary.stages.find((s) => s.stage === 'staging_songs')!.rows,
    jsonMb: Math.round(mb(jsonBytes) * 10) / 10,
    runs,
    reloadSeconds: seconds(summary.ms),
    peakRssMb: Math.round(peakRssMb),
    extractSeconds: seconds(extractMs),
    extractFloorSeconds: seconds(extractFloorMs),
    extractRatio: Math.round((extractMs / extractFloorMs) * 100) / 100,
    floorPlusTransformsSeconds: seconds(floorTotalMs),
    reloadRatio: Math.round((summary.ms / floorTotalMs) * 100) / 100,
    rowByRowSeconds: insertMs === null ? null : seconds(insertMs),
    speedupOverRowByRow: insertMs === null ? null : Math.round(insertMs / extractMs),
    stages,
    incremental: incrementalFigures(rounds, reloads, matches),
    duckdb: peerFigures(reloads, peerRounds),
  });
  const r = results.at(-1)!;
  console.log(
    `${events.toLocaleString('en-US').padStart(9)} events: reload ${r.reloadSeconds}s (extract ${r.extractSeconds}s = ${r.extractRatio}× the COPY floor; ` +
      `whole = ${r.reloadRatio}× floor + transforms), peak RSS ${r.peakRssMb} MB` +
      (r.rowByRowSeconds === null ? '' : `, ${r.speedupOverRowByRow}× faster than row-by-row INSERT (${r.rowByRowSeconds}s)`),
  );
  for (const s of stages) {
    console.log(
      `    ${s.stage.padEnd(15)}${String(s.seconds).padStart(8)}s${(s.rowsPerSecond === null ? '' : `${s.rowsPerSecond.toLocaleString('en-US')} rows/s`).padStart(18)}` +
        `${(s.mbPerSecond === null ? '' : `${s.mbPerSecond} MB/s`).padStart(12)}${s.floorSeconds === null ? '' : `   floor ${s.floorSeconds}s`}`,
    );
  }
  printPeer(r.duckdb, queryRuns);
  printIncremental(r.incremental);
}

const report = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()} ${os.release()}`,
  date: new Date().toISOString(),
  results,
};
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results/etl.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nmachine: ${report.machine}\nwritten: bench/results/etl.json`);
const mismatched = results.filter((r) => !r.incremental.tablesMatchFullReload).map((r) => r.events);
if (mismatched.length > 0) {
  console.error(`\nFAILED: after the incremental runs the tables differ from a full reload's, at ${mismatched.join(', ')} events (see MISMATCH above)`);
}
const peerMismatched = results.filter((r) => !r.duckdb.tablesMatch).map((r) => r.events);
if (peerMismatched.length > 0) {
  console.error(`\nFAILED: DuckDB's tables or query answers differ from sparkify's, at ${peerMismatched.join(', ')} events (see MISMATCH above)`);
}
if (mismatched.length > 0 || peerMismatched.length > 0) process.exit(1);
process.exit(0);

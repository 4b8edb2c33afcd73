/**
 * The incremental scenario of `npm run bench` (bench/etl.ts runs it, in turns
 * with the full reloads): a warehouse of 29 of the 30 days (reloaded), then the
 * 30th day's file added and `sparkify etl --incremental` timed, then the same
 * with nothing new. Its tables must then equal those of the full reload of the
 * 30 days: their row counts, and a fingerprint of every row (songplay_id aside).
 *
 * The 29 days are hard links to the data set's log files in a folder of their
 * own (the local source walks files, and does not follow symlinks); the songs
 * and the jsonpaths are the data set's own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary, StageName } from '../src/etl/events.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { ident } from '../src/sql/identifiers.js';
import { STAGING_TABLES, STAR_TABLES } from '../src/sql/schema.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts, type TableCounts } from '../src/warehouse/table-counts.js';
import { DATA, ROOT } from './dataset.js';

export interface CliRun {
  /** The run's summary from last-run.json (runs of the pipeline only). */
  summary: RunSummary;
  /** The whole command: process start, server join, connection, run, exit. */
  wallMs: number;
  peakRssMb: number;
  stderr: string;
}

/** `node dist/cli.js ARGS --config FILE` as users run it: its own process, its wall time, its peak RSS. */
export function runCli(args: string[], configFile: string): Omit<CliRun, 'summary'> {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args, '--config', configFile], {
    env: { ...process.env, SPARKIFY_REPORT_RSS: '1' },
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`sparkify ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
  const rss = /peak-rss-kb (\d+)/.exec(result.stderr);
  return { wallMs, peakRssMb: rss ? Number(rss[1]) / 1024 : NaN, stderr: result.stderr };
}

/** A run of the pipeline (reload, etl): also its summary, which it leaves in last-run.json. */
export function runPipelineCli(args: string[], configFile: string): CliRun {
  const run = runCli(args, configFile);
  const lastRun = JSON.parse(readFileSync(path.join(DATA, '.sparkify/last-run.json'), 'utf8')) as { summary: RunSummary };
  if (lastRun.summary.status !== 'passed') throw new Error(`sparkify ${args.join(' ')} did not pass:\n${run.stderr}`);
  return { ...run, summary: lastRun.summary };
}

/** The 29-day folder beside the data set, its config, and the 30th day's file to add to it and take away. */
export interface PartialDataset {
  config: string;
  addLastDay(): void;
  removeLastDay(): void;
}

export function partialDataset(dir: string): PartialDataset {
  const logs = path.join(dir, 'log_data');
  const days = jsonFilesUnder(logs).sort();
  if (days.length !== 30) throw new Error(`${logs}: ${days.length} log files, not 30`);
  const partial = `${dir}-29days`;
  const linked = (file: string) => path.join(partial, 'log_data', path.relative(logs, file));
  for (const day of days.slice(0, -1)) {
    if (existsSync(linked(day))) continue;
    mkdirSync(path.dirname(linked(day)), { recursive: true });
    linkSync(day, linked(day));
  }
  const last = days.at(-1)!;
  const config = path.join(DATA, `dwh-${path.basename(partial)}.cfg`);
  writeFileSync(config, `[S3]\nLOG_DATA=${partial}/log_data\nLOG_JSONPATH=${dir}/log_json_path.json\nSONG_DATA=${dir}/song_data\n`);
  return {
    config,
    addLastDay: () => existsSync(linked(last)) || linkSync(last, linked(last)),
    removeLastDay: () => existsSync(linked(last)) && unlinkSync(linked(last)),
  };
}

/** One round of the scenario, its runs in turn with the bench's full reload. */
export interface IncrementalRound {
  reload29: CliRun;
  oneDay: CliRun;
  nothingNew: CliRun;
  /** Baselines of the command around a run: `sparkify status` (start, join the server, connect, count the rows), `sparkify --version` (start only). */
  statusWallMs: number;
  versionWallMs: number;
  counts: TableCounts;
}

export async function incrementalRound(data: PartialDataset, wh: Warehouse): Promise<IncrementalRound> {
  data.removeLastDay();
  const reload29 = runPipelineCli(['reload'], data.config);
  data.addLastDay();
  const oneDay = runPipelineCli(['etl', '--incremental'], data.config);
  const nothingNew = runPipelineCli(['etl', '--incremental'], data.config);
  if (oneDay.summary.stages[0]?.stage !== 'staging_events' || nothingNew.summary.stages.length !== 0) {
    throw new Error(`the incremental runs did not do what the scenario expects:\n${oneDay.stderr}\n${nothingNew.stderr}`);
  }
  const statusWallMs = runCli(['status'], data.config).wallMs;
  const versionWallMs = runCli(['--version'], data.config).wallMs;
  return { reload29, oneDay, nothingNew, statusWallMs, versionWallMs, counts: await tableCounts(wh) };
}

/**
 * Every table's row count, and of the staging and star tables a fingerprint
 * of their rows (the sum of a 64-bit hash of each row's text, songplay_id
 * left out): equal fingerprints mean the same rows, whatever their order.
 */
export async function fingerprint(wh: Warehouse): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, n] of Object.entries(await tableCounts(wh))) out[`${table} rows`] = String(n);
  for (const table of [...STAGING_TABLES, ...STAR_TABLES]) {
    const columns = table.columns.filter((c) => c.name !== 'songplay_id').map((c) => ident(c.name));
    const { rows } = await wh.query<{ h: string }>(
      `SELECT COALESCE(SUM(hashtextextended(ROW(${columns.join(', ')})::text, 0)::numeric), 0)::text AS h FROM ${ident(table.name)}`,
    );
    out[`${table.name} fingerprint`] = rows[0]!.h;
  }
  return out;
}

/** The differences between two fingerprints (or counts), as lines; none when they match. */
export function differences(full: Record<string, unknown>, incremental: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(full), ...Object.keys(incremental)]);
  return [...keys]
    .filter((k) => String(full[k]) !== String(incremental[k]))
    .map((k) => `${k}: full reload ${String(full[k])}, incremental ${String(incremental[k])}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const seconds = (ms: number) => Math.round(ms) / 1000;
const byMs = (runs: CliRun[]) => [...runs].sort((a, b) => a.summary.ms - b.summary.ms)[Math.floor((runs.length - 1) / 2)]!;

/** The run's own time outside its stages: the run lock, load_history read and the sources listed, the commit. */
const outsideStagesMs = (s: RunSummary) => s.ms - s.stages.reduce((n, st) => n + st.ms, 0);

const ONE_DAY_TARGET = 0.12;
const NOTHING_NEW_TARGET_MS = 500;

/** The figures of the scenario at one scale, for the report: medians over the rounds, and each round's. */
export function incrementalFigures(rounds: IncrementalRound[], fullReloads: CliRun[], matches: boolean) {
  const fullMs = median(fullReloads.map((r) => r.summary.ms));
  const fullWallMs = median(fullReloads.map((r) => r.wallMs));
  const oneDayMs = median(rounds.map((r) => r.oneDay.summary.ms));
  const oneDayWallMs = median(rounds.map((r) => r.oneDay.wallMs));
  const nothingNewMs = median(rounds.map((r) => r.nothingNew.summary.ms));
  const nothingNewWallMs = median(rounds.map((r) => r.nothingNew.wallMs));
  const typical = byMs(rounds.map((r) => r.oneDay));
  const stages: Partial<Record<StageName | 'lock, history, listing, commit', number>> = {};
  for (const s of typical.summary.stages) stages[s.stage] = seconds(s.ms);
  stages['lock, history, listing, commit'] = seconds(outsideStagesMs(typical.summary));
  const ratio = Math.round((oneDayMs / fullMs) * 1000) / 1000;
  return {
    fullReloadSeconds: seconds(fullMs),
    fullReloadWallSeconds: seconds(fullWallMs),
    reload29DaysSeconds: seconds(median(rounds.map((r) => r.reload29.summary.ms))),
    oneDaySeconds: seconds(oneDayMs),
    oneDayWallSeconds: seconds(oneDayWallMs),
    oneDayPeakRssMb: Math.round(Math.max(...rounds.map((r) => r.oneDay.peakRssMb))),
    oneDayRows: typical.summary.stages.find((s) => s.stage === 'staging_events')!.rows,
    oneDayRatio: ratio,
    oneDayWallRatio: Math.round((oneDayWallMs / fullWallMs) * 1000) / 1000,
    oneDayTarget: ONE_DAY_TARGET,
    oneDayTargetMet: ratio <= ONE_DAY_TARGET,
    oneDayStagesSeconds: stages,
    nothingNewSeconds: seconds(nothingNewMs),
    nothingNewWallSeconds: seconds(nothingNewWallMs),
    nothingNewTargetSeconds: NOTHING_NEW_TARGET_MS / 1000,
    nothingNewTargetMet: nothingNewMs < NOTHING_NEW_TARGET_MS,
    statusWallSeconds: seconds(median(rounds.map((r) => r.statusWallMs))),
    versionWallSeconds: seconds(median(rounds.map((r) => r.versionWallMs))),
    tablesMatchFullReload: matches,
    rounds: rounds.map((r, i) => ({
      fullReloadSeconds: seconds(fullReloads[i]!.summary.ms),
      fullReloadWallSeconds: seconds(fullReloads[i]!.wallMs),
      reload29DaysSeconds: seconds(r.reload29.summary.ms),
      oneDaySeconds: seconds(r.oneDay.summary.ms),
      oneDayWallSeconds: seconds(r.oneDay.wallMs),
      oneDayRatio: Math.round((r.oneDay.summary.ms / fullReloads[i]!.summary.ms) * 1000) / 1000,
      oneDayStagesSeconds: Object.fromEntries([
        ...r.oneDay.summary.stages.map((s) => [s.stage, seconds(s.ms)]),
        ['lock, history, listing, commit', seconds(outsideStagesMs(r.oneDay.summary))],
      ]) as Record<string, number>,
      oneDayPeakRssMb: Math.round(r.oneDay.peakRssMb),
      nothingNewSeconds: seconds(r.nothingNew.summary.ms),
      nothingNewWallSeconds: seconds(r.nothingNew.wallMs),
      statusWallSeconds: seconds(r.statusWallMs),
      versionWallSeconds: seconds(r.versionWallMs),
    })),
  };
}

export function printIncremental(f: ReturnType<typeof incrementalFigures>): void {
  const mark = (met: boolean) => (met ? 'met' : 'NOT MET');
  const lines = [
    `    incremental, 1 day of 30 (${f.oneDayRows.toLocaleString('en-US')} events): ${f.oneDaySeconds}s (whole command ${f.oneDayWallSeconds}s, peak RSS ${f.oneDayPeakRssMb} MB)` +
      ` = ${f.oneDayRatio}× the full reload's ${f.fullReloadSeconds}s (whole commands: ${f.oneDayWallRatio}×); target ≤ ${f.oneDayTarget}: ${mark(f.oneDayTargetMet)}`,
    `      its stages: ${Object.entries(f.oneDayStagesSeconds)
      .map(([s, v]) => `${s} ${v}s`)
      .join(', ')}`,
    `    incremental, nothing new: ${f.nothingNewSeconds}s (whole command ${f.nothingNewWallSeconds}s; sparkify status ${f.statusWallSeconds}s, --version ${f.versionWallSeconds}s);` +
      ` target < ${f.nothingNewTargetSeconds}s + connection: ${mark(f.nothingNewTargetMet)}`,
    `    (the 29 days' reload before them: ${f.reload29DaysSeconds}s)`,
  ];
  for (const r of f.rounds) {
    lines.push(
      `      round: reload ${r.fullReloadSeconds}s (${r.fullReloadWallSeconds}s whole), 1 day ${r.oneDaySeconds}s (${r.oneDayWallSeconds}s whole) = ${r.oneDayRatio}×, ` +
        `nothing new ${r.nothingNewSeconds}s (${r.nothingNewWallSeconds}s whole), status ${r.statusWallSeconds}s, --version ${r.versionWallSeconds}s`,
    );
  }
  lines.push(
    `    tables after the incremental runs ${f.tablesMatchFullReload ? 'match' : 'DO NOT MATCH'} the full reload's (row counts every round, row fingerprints once)`,
  );
  console.log(lines.join('\n'));
}

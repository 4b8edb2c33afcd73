/**
 * DuckDB as the peer in `npm run bench` (issue 16): its turn after each
 * sparkify reload, the proof that both built the same tables and answer the
 * canned queries alike, and the figures side by side.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { TableCounts } from '../src/warehouse/table-counts.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { ROOT } from './dataset.js';
import { DUCKDB_STAGES, runDuckDbJob, type DuckDbJob } from './duckdb-peer.js';
import type { CliRun } from './incremental.js';
import { answerDifferences, benchQueries, digests, duckdbSide, postgresSide, timeQueries, type QueryTiming } from './peer-checks.js';

export interface PeerRound {
  job: DuckDbJob;
  /** What differs from sparkify's tables (counts every round; rows and answers in the first), as lines. */
  differences: string[];
  /** First round only: each canned query on both engines. */
  queries: { sparkify: QueryTiming[]; duckdb: QueryTiming[] } | null;
}

/** The DuckDB file of a scale, beside the generated data (git-ignored). */
export function duckDbFile(dataDir: string): string {
  return `${dataDir}.duckdb`;
}

export function removeDuckDbFile(dataDir: string): void {
  for (const f of [duckDbFile(dataDir), `${duckDbFile(dataDir)}.wal`]) rmSync(f, { force: true });
}

/**
 * The peer's turn, right after a sparkify reload whose tables are live on
 * `wh` and whose counts are `counts`. With `compareRows`, also every staging
 * and star table's rows (by digests), and each canned query's answer and
 * time on both, `queryRuns` times each.
 */
export async function peerRound(wh: Warehouse, dir: string, counts: TableCounts, compareRows: boolean, queryRuns: number): Promise<PeerRound> {
  const sparkify = postgresSide(wh);
  const sparkifyDigests = compareRows ? await digests(sparkify) : null;
  const queries = compareRows ? await benchQueries(sparkify) : [];
  const sparkifyAnswers = compareRows ? await timeQueries(sparkify, queries, queryRuns) : [];
  const { job, session } = await runDuckDbJob(dir, duckDbFile(dir));
  try {
    const differences = DUCKDB_STAGES.filter((t) => counts[t] !== job.counts[t]).map(
      (t) => `${t} rows: sparkify ${String(counts[t])}, DuckDB ${job.counts[t]}`,
    );
    if (!compareRows) return { job, differences, queries: null };
    const duckdb = duckdbSide(session.connection);
    const duckdbDigests = await digests(duckdb);
    for (const [key, value] of Object.entries(sparkifyDigests!)) {
      if (duckdbDigests[key] !== value) differences.push(`${key}: sparkify ${value}, DuckDB ${duckdbDigests[key]}`);
    }
    const duckdbAnswers = await timeQueries(duckdb, queries, queryRuns);
    differences.push(...answerDifferences(sparkifyAnswers, duckdbAnswers).map((d) => `query ${d}`));
    return { job, differences, queries: { sparkify: sparkifyAnswers, duckdb: duckdbAnswers } };
  } finally {
    session.close();
  }
}

const seconds = (ms: number) => Math.round(ms) / 1000;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const middle = <T>(items: T[], by: (item: T) => number): T => [...items].sort((a, b) => by(a) - by(b))[Math.floor((items.length - 1) / 2)]!;

/** sparkify's keys and indexes, from the line its reload writes ("Keys: built … in 0.10s"). */
function keysMs(run: CliRun): number | null {
  const match = /^Keys: .* in (\d+(?:\.\d+)?)s$/m.exec(run.stderr);
  return match ? Number(match[1]) * 1000 : null;
}

const DUCKDB_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@duckdb/node-api/package.json'), 'utf8')) as { version: string }).version;

/**
 * The figures of one scale for the report. Whole jobs: the medians, and each
 * round's pair. Stages: those of the run of median total, on each side (as
 * the bench's other figures).
 */
export function peerFigures(reloads: CliRun[], rounds: PeerRound[]) {
  const reload = middle(reloads, (r) => r.summary.ms);
  const job = middle(
    rounds.map((r) => r.job),
    (j) => j.ms,
  );
  const stageMs = (name: string) => reload.summary.stages.find((s) => s.stage === name)?.ms ?? 0;
  const keys = keysMs(reload);
  const queries = rounds.find((r) => r.queries)?.queries;
  return {
    peer: `DuckDB (@duckdb/node-api ${DUCKDB_VERSION}), threads=2, memory_limit=2GB, preserve_insertion_order=false, a fresh persistent file each run`,
    sparkifySeconds: seconds(reload.summary.ms),
    duckdbSeconds: seconds(job.ms),
    ratio: ratio(reload.summary.ms, job.ms),
    roundRatios: rounds.map((r, i) => ratio(reloads[i]!.summary.ms, r.job.ms)),
    stages: [
      ...DUCKDB_STAGES.map((stage) => ({
        stage,
        sparkifySeconds: seconds(stageMs(stage)),
        duckdbSeconds: seconds(job.stagesMs[stage]),
        ratio: ratio(stageMs(stage), job.stagesMs[stage]),
      })),
      { stage: 'keys + checks', sparkifySeconds: keys === null ? null : seconds(keys + stageMs('checks')), duckdbSeconds: null, ratio: null },
    ],
    duckdbOpenSeconds: seconds(job.openMs),
    duckdbCheckpointSeconds: seconds(job.checkpointMs),
    tablesMatch: rounds.every((r) => r.differences.length === 0),
    differences: rounds.flatMap((r, i) => r.differences.map((d) => `round ${i + 1}: ${d}`)),
    queries: (queries?.sparkify ?? []).map((s, i) => {
      const d = queries!.duckdb[i]!;
      const ms = (x: number) => Math.round(x * 10) / 10;
      return { query: s.name, sparkifyMs: ms(s.ms), sparkifyServerMs: ms(s.serverMs!), duckdbMs: ms(d.ms), ratio: ratio(s.ms, d.ms), rows: s.rows.length };
    }),
  };
}

export type PeerFigures = ReturnType<typeof peerFigures>;

export function printPeer(f: PeerFigures, queryRuns: number): void {
  const s = (v: number | null) => (v === null ? 'none' : `${v}s`);
  const lines = [
    `    peer: ${f.peer}`,
    `    DuckDB, same job: ${f.duckdbSeconds}s; sparkify reload ${f.sparkifySeconds}s = ${f.ratio}× DuckDB (each round: ${f.roundRatios.map((r) => `${r}×`).join(', ')})`,
    `      ${'stage'.padEnd(16)}${'sparkify'.padStart(10)}${'DuckDB'.padStart(10)}${'sparkify/DuckDB'.padStart(18)}`,
    ...f.stages.map(
      (st) =>
        `      ${st.stage.padEnd(16)}${s(st.sparkifySeconds).padStart(10)}${s(st.duckdbSeconds).padStart(10)}${(st.ratio === null ? '' : `${st.ratio}×`).padStart(18)}`,
    ),
    `      (DuckDB outside its stages: opening the file ${f.duckdbOpenSeconds}s, checkpoint ${f.duckdbCheckpointSeconds}s)`,
    `    canned queries, median of ${queryRuns} (sparkify: around the query on its connection, and the server's planning + execution by EXPLAIN ANALYZE):`,
    `      ${'query'.padEnd(20)}${'sparkify'.padStart(10)}${'server'.padStart(10)}${'DuckDB'.padStart(10)}${'sparkify/DuckDB'.padStart(18)}${'rows'.padStart(6)}`,
    ...f.queries.map(
      (q) =>
        `      ${q.query.padEnd(20)}${`${q.sparkifyMs}ms`.padStart(10)}${`${q.sparkifyServerMs}ms`.padStart(10)}${`${q.duckdbMs}ms`.padStart(10)}` +
        `${`${q.ratio}×`.padStart(18)}${String(q.rows).padStart(6)}`,
    ),
    `    DuckDB's tables ${f.tablesMatch ? 'match' : 'DO NOT MATCH'} sparkify's (row counts every round; once, every staging and star table's rows by digest and every canned query's answer)`,
  ];
  console.log(lines.join('\n'));
}

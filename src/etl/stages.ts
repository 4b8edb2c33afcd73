import type { Config } from '../config/types.js';
import { insertSql, type StarTableName } from '../sql/transforms.js';
import type { TableBuild } from '../sql/table-build.js';
import { copyEventsSql, copySongsSql } from '../sql/redshift-copy.js';
import { STAGING_EVENTS, STAGING_SONGS, type Table, type TableName } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { DialectName } from '../warehouse/dialect.js';
import { analyzeSql, copyFromStdinSql } from '../sql/staging-load.js';
import { clearLoadErrorsSql, copyLoadErrorsSql, ensureLoadErrorsSql } from '../sql/load-errors.js';
import { redshiftMonitoring } from '../sql/redshift-system-views.js';
import { recordRejections } from './record-rejections.js';
import { COPY_STARTED_SQL, copyOnRedshift } from './redshift-load-errors.js';
import { checksFor, runChecks } from './checks.js';
import { copyIntoStaging, type CopyProgress, type CopyResult } from './copy-into-staging.js';
import type { IdleTime } from './idle-time.js';
import { RowsAhead, type AheadOptions } from './rows-ahead.js';
import type { StageName, StageResult } from './events.js';
import { parseJsonPathsFile } from './jsonpaths.js';
import { eventRows, songRows, type RowMapping } from './row-encoders.js';
import { openSource } from './sources/open-source.js';
import type { FileSet, LoadOptions } from './sources/source.js';
import { describeLocation } from '../config/location.js';
import { ensureDefaultSample } from '../generate/default-sample.js';

export interface StageContext {
  wh: Warehouse;
  config: Config;
  /** The tables the run rebuilds, and the names they go by until the swap. */
  build: TableBuild;
  signal: AbortSignal;
  /** Bad rows an extract may leave out (into load_errors) before it fails. */
  maxErrors: number;
  progress(progress: CopyProgress): void;
  /** Where this stage lends the time its COPY waits for the server (to the next stage's rows). */
  idle?: IdleTime | undefined;
  /** This stage's rows, begun while the stage before ran (see Stage.startAhead). */
  ahead?: StageAhead | undefined;
}

/** A stage's COPY begun before the stage, its rows made in the time the stage before lends. */
export interface StageAhead {
  /** The stage has begun: its COPY may start on the connection. */
  begin(): void;
  copying: Promise<CopyResult>;
  /** Stops it, for a run that ends before the stage begins. */
  cancel(): void;
}

export interface PlanOptions {
  build: TableBuild;
  maxErrors?: number | undefined;
}

export interface Stage {
  name: StageName;
  /** The table the stage fills, which a run that includes it builds anew. */
  writes: TableName | null;
  run(ctx: StageContext): Promise<StageResult>;
  /**
   * Starts making the stage's rows while the stage before runs, in the time
   * that one's COPY lends (the 100k song files of 1M events, while the events
   * load); undefined where the server reads the files (Redshift).
   */
  startAhead?(ctx: StageContext & { idle: IdleTime }): StageAhead | undefined;
  /** The statements run() sends, for `--dry-run`; rows the client streams are named in a comment. */
  plan(dialect: DialectName, config: Config, options: PlanOptions): string[];
}

/** An extract's statements, in the order run() sends them. */
interface ExtractPlan {
  clear: string[];
  /** Redshift: the server's time before the COPY (copyOnRedshift sends it). */
  started: string | null;
  copy: string;
  /** Redshift: how many rows the COPY loaded. */
  count: string | null;
  /** After the COPY: the rows it left out, into load_errors. */
  recordErrors: string | null;
  analyze: string | null;
}

function extractPlan(table: Table, which: 'events' | 'songs', dialect: DialectName, config: Config, { build, maxErrors = 0 }: PlanOptions): ExtractPlan {
  // A load_errors rebuilt in this run is new and empty; a kept one may predate the table.
  const clear = build.rebuilds('load_errors') ? [] : [ensureLoadErrorsSql(dialect), clearLoadErrorsSql(table)];
  if (dialect === 'redshift') {
    const copy = which === 'events' ? copyEventsSql(config, maxErrors, build) : copySongsSql(config, maxErrors, build);
    const recordErrors = maxErrors > 0 ? redshiftMonitoring(config.redshiftSystemViews).recordLoadErrors(table, build) : null;
    return { clear, started: COPY_STARTED_SQL, copy, count: 'SELECT pg_last_copy_count() AS n', recordErrors, analyze: null };
  }
  const from = describeLocation(which === 'events' ? config.s3.logData : config.s3.songData);
  const mapping = which === 'events' ? ` through ${describeLocation(config.s3.logJsonPath)}` : ' by field name';
  return {
    clear,
    started: null,
    copy: `-- rows streamed by sparkify from every *.json under ${from}${mapping}\n${copyFromStdinSql(table, build)}`,
    count: null,
    recordErrors: maxErrors > 0 ? `-- the rows left out (up to ${maxErrors} with --max-errors), if any\n${copyLoadErrorsSql(build)}` : null,
    analyze: analyzeSql(table, build),
  };
}

function extractStatements(plan: ExtractPlan): string[] {
  return [plan.clear, plan.started, plan.copy, plan.count, plan.recordErrors, plan.analyze].flat().filter((sql): sql is string => sql !== null);
}

async function extract(ctx: StageContext, table: Table, which: 'events' | 'songs'): Promise<StageResult> {
  const { wh, config, signal, maxErrors, build } = ctx;
  const plan = extractPlan(table, which, wh.dialect, config, { build, maxErrors });
  for (const sql of plan.clear) await wh.query(sql, [], signal);
  if (wh.dialect === 'redshift') {
    await copyOnRedshift(wh, plan.copy, signal);
    const { rows } = await wh.query<{ n: number }>(plan.count!, [], signal);
    const rejected = plan.recordErrors ? ((await wh.query(plan.recordErrors, [], signal)).rowCount ?? 0) : 0;
    return { rows: Number(rows[0]!.n), ...(rejected > 0 ? { rejected } : {}) };
  }
  ctx.ahead?.begin();
  const result = await (ctx.ahead?.copying ?? copyFiles(ctx, table, which));
  if (result.rejections.length > 0) await recordRejections(wh, table, result.rejections, build, signal);
  // Lent too: the ANALYZE of a million events takes a while.
  const analyzed = wh.query(plan.analyze!, [], signal);
  await (ctx.idle ? ctx.idle.during(analyzed) : analyzed);
  return { rows: result.rows, bytes: result.bytes, ...(result.rejections.length > 0 ? { rejected: result.rejections.length } : {}) };
}

/** The COPY of an extract's files; with `ahead`, its rows are made before it starts. */
async function copyFiles(ctx: StageContext, table: Table, which: 'events' | 'songs', ahead?: AheadOptions): Promise<CopyResult> {
  const { wh, config, signal, maxErrors } = ctx;
  const rowsAhead = ahead && new RowsAhead(ahead, signal);
  // Ahead, the files are read in lent time too (a reader thread would compete
  // with both the server and this thread), and even counted then.
  await rowsAhead?.turn();
  const input = openInput(config, which, { onThisThread: rowsAhead !== undefined });
  try {
    let mapping: RowMapping;
    if (which === 'events') {
      const pathsName = describeLocation(config.s3.logJsonPath);
      const pathsText = await openSource(config.s3.logJsonPath, config).readText();
      mapping = eventRows(parseJsonPathsFile(pathsText, pathsName), table, pathsName);
    } else {
      mapping = songRows(table);
    }
    return await copyIntoStaging(wh, table, await input, mapping, { build: ctx.build, signal, onProgress: ctx.progress, maxErrors, lend: ctx.idle, ahead: rowsAhead });
  } finally {
    closeInput(input);
  }
}

function extractAhead(ctx: StageContext & { idle: IdleTime }, table: Table, which: 'events' | 'songs'): StageAhead {
  // Its own signal: cancelled with the run, or alone when the run ends before the stage.
  const controller = new AbortController();
  const cancel = () => controller.abort();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  let begin!: () => void;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const copying = copyFiles({ ...ctx, signal: controller.signal, idle: undefined }, table, which, { idle: ctx.idle, started });
  // Its failure is the stage's, when the stage awaits it.
  copying.catch(() => {}).finally(() => ctx.signal.removeEventListener('abort', cancel));
  return { begin, copying, cancel };
}

function openInput(config: Config, which: 'events' | 'songs', options: LoadOptions): Promise<FileSet> {
  if (config.defaultSample) ensureDefaultSample(config.defaultSample);
  const input = openSource(which === 'events' ? config.s3.logData : config.s3.songData, config).load(options);
  // Its failure is the stage's, when the stage awaits it.
  input.catch(() => {});
  return input;
}

/** Stops whatever reading ahead an input still does (none once it has been read to the end). */
function closeInput(input: Promise<FileSet>): void {
  input.then(
    (files) => files.close(),
    () => {},
  );
}

function transform(name: StarTableName): Stage {
  return {
    name,
    writes: name,
    plan: (dialect, _config, { build }) => [insertSql(name, dialect, build)],
    async run({ wh, signal, build }) {
      const result = await wh.query(insertSql(name, wh.dialect, build), [], signal);
      return { rows: result.rowCount ?? 0 };
    },
  };
}

export const STAGES: readonly Stage[] = [
  {
    name: 'staging_events',
    writes: 'staging_events',
    run: (ctx) => extract(ctx, STAGING_EVENTS, 'events'),
    plan: (dialect, config, options) => extractStatements(extractPlan(STAGING_EVENTS, 'events', dialect, config, options)),
  },
  {
    name: 'staging_songs',
    writes: 'staging_songs',
    run: (ctx) => extract(ctx, STAGING_SONGS, 'songs'),
    startAhead: (ctx) => (ctx.wh.dialect === 'postgres' ? extractAhead(ctx, STAGING_SONGS, 'songs') : undefined),
    plan: (dialect, config, options) => extractStatements(extractPlan(STAGING_SONGS, 'songs', dialect, config, options)),
  },
  transform('songplays'),
  transform('users'),
  transform('songs'),
  transform('artists'),
  transform('time'),
  {
    name: 'checks',
    writes: null,
    plan: (_dialect, _config, { build }) => checksFor(build).map((check) => check.sql),
    async run({ wh, signal, build }) {
      return { rows: await runChecks(wh, build, signal), unit: 'checks' };
    },
  },
];

export function stageNamed(name: StageName): Stage {
  return STAGES.find((s) => s.name === name)!;
}

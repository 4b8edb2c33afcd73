import type { Config } from '../config/types.js';
import { describeLocation } from '../config/location.js';
import { ensureDefaultSample } from '../generate/default-sample.js';
import { clearLoadErrorsSql, copyLoadErrorsSql, ensureLoadErrorsSql } from '../sql/load-errors.js';
import { copyEventsSql, copySongsSql } from '../sql/redshift-copy.js';
import { redshiftMonitoring } from '../sql/redshift-system-views.js';
import type { Table } from '../sql/schema.js';
import { analyzeSql, copyFromStdinSql } from '../sql/staging-load.js';
import { statement, type Statement } from '../sql/statement.js';
import type { DialectName } from '../warehouse/dialect.js';
import { copyIntoStaging, type CopyResult } from './copy-into-staging.js';
import type { StageResult } from './events.js';
import type { IdleTime } from './idle-time.js';
import { parseJsonPathsFile } from './jsonpaths.js';
import { recordRejections } from './record-rejections.js';
import { COPY_STARTED_SQL, copyOnRedshift } from './redshift-load-errors.js';
import { eventRows, songRows, type RowMapping } from './row-encoders.js';
import { RowsAhead, type AheadOptions } from './rows-ahead.js';
import { openSource } from './sources/open-source.js';
import type { FileSet, LoadOptions } from './sources/source.js';
import type { PlanOptions, StageAhead, StageContext, StagePlan } from './stage.js';

type Source = 'events' | 'songs';

/** An extract's statements by what they do; `statements` lists them in the order run() sends them. */
export interface ExtractPlan extends StagePlan {
  /** A kept load_errors (it may predate the table) is made if missing, and this table's rows in it cleared. */
  clear: Statement[];
  /** Redshift: the server's time before the COPY, for finding a failed COPY's rows. */
  started: Statement | null;
  copy: Statement;
  /** Redshift: how many rows the COPY loaded. */
  count: Statement | null;
  /** After the COPY: the rows it left out, into load_errors. */
  recordErrors: Statement | null;
  analyze: Statement | null;
}

export function planExtract(table: Table, which: Source, dialect: DialectName, config: Config, { build, maxErrors = 0 }: PlanOptions): ExtractPlan {
  // A load_errors rebuilt in this run is new and empty.
  const clear = build.rebuilds('load_errors') ? [] : [statement(ensureLoadErrorsSql(dialect)), statement(clearLoadErrorsSql(table))];
  const plan = (parts: Omit<ExtractPlan, 'statements' | 'clear'>): ExtractPlan => ({
    clear,
    ...parts,
    statements: [...clear, parts.started, parts.copy, parts.count, parts.recordErrors, parts.analyze].filter((s): s is Statement => s !== null),
  });
  if (dialect === 'redshift') {
    return plan({
      started: statement(COPY_STARTED_SQL),
      copy: statement(which === 'events' ? copyEventsSql(config, maxErrors, build) : copySongsSql(config, maxErrors, build)),
      count: statement('SELECT pg_last_copy_count() AS n'),
      recordErrors: maxErrors > 0 ? statement(redshiftMonitoring(config.redshiftSystemViews).recordLoadErrors(table, build)) : null,
      analyze: null,
    });
  }
  const from = describeLocation(which === 'events' ? config.s3.logData : config.s3.songData);
  const mapping = which === 'events' ? ` through ${describeLocation(config.s3.logJsonPath)}` : ' by field name';
  return plan({
    started: null,
    copy: statement(copyFromStdinSql(table, build), { note: `rows streamed by sparkify from every *.json under ${from}${mapping}` }),
    count: null,
    recordErrors: maxErrors > 0 ? statement(copyLoadErrorsSql(build), { onlyIf: `rows were left out (up to ${maxErrors} with --max-errors): they are streamed in` }) : null,
    analyze: statement(analyzeSql(table, build)),
  });
}

export async function runExtract(ctx: StageContext, table: Table, which: Source, plan: ExtractPlan): Promise<StageResult> {
  const { wh, signal } = ctx;
  for (const s of plan.clear) await wh.query(s.sql, [], signal);
  if (plan.started) {
    // Redshift: the cluster reads the files itself.
    await copyOnRedshift(wh, plan.started.sql, plan.copy.sql, signal);
    const { rows } = await wh.query<{ n: number }>(plan.count!.sql, [], signal);
    const rejected = plan.recordErrors ? ((await wh.query(plan.recordErrors.sql, [], signal)).rowCount ?? 0) : 0;
    return { rows: Number(rows[0]!.n), ...(rejected > 0 ? { rejected } : {}) };
  }
  ctx.ahead?.begin();
  const result = await (ctx.ahead?.copying ?? copyFiles(ctx, table, which, plan.copy.sql));
  if (result.rejections.length > 0) await recordRejections(wh, table, result.rejections, plan.recordErrors!.sql, signal);
  // Lent too: the ANALYZE of a million events takes a while.
  const analyzed = wh.query(plan.analyze!.sql, [], signal);
  await (ctx.idle ? ctx.idle.during(analyzed) : analyzed);
  return { rows: result.rows, bytes: result.bytes, ...(result.rejections.length > 0 ? { rejected: result.rejections.length } : {}) };
}

/** The COPY of an extract's files; with `ahead`, its rows are made before it starts. */
async function copyFiles(ctx: StageContext, table: Table, which: Source, copySql: string, ahead?: AheadOptions): Promise<CopyResult> {
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
    return await copyIntoStaging(wh, table, await input, mapping, { copySql, signal, onProgress: ctx.progress, maxErrors, lend: ctx.idle, ahead: rowsAhead });
  } finally {
    closeInput(input);
  }
}

/** The extract's COPY begun while the stage before runs (PostgreSQL; Redshift's cluster reads the files). */
export function extractAhead(ctx: StageContext & { idle: IdleTime }, table: Table, which: Source, plan: ExtractPlan): StageAhead | undefined {
  if (plan.started) return undefined;
  // Its own signal: cancelled with the run, or alone when the run ends before the stage.
  const controller = new AbortController();
  const cancel = () => controller.abort();
  ctx.signal.addEventListener('abort', cancel, { once: true });
  let begin!: () => void;
  const started = new Promise<void>((resolve) => (begin = resolve));
  const copying = copyFiles({ ...ctx, signal: controller.signal, idle: undefined }, table, which, plan.copy.sql, { idle: ctx.idle, started });
  // Its failure is the stage's, when the stage awaits it.
  copying.catch(() => {}).finally(() => ctx.signal.removeEventListener('abort', cancel));
  return { begin, copying, cancel };
}

function openInput(config: Config, which: Source, options: LoadOptions): Promise<FileSet> {
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

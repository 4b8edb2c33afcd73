import type { Config } from '../config/types.js';
import { describeLocation } from '../config/location.js';
import type { Engine, Source, StagingFill } from '../engines/engine.js';
import { ensureDefaultSample } from '../generate/default-sample.js';
import { clearLoadErrorsSql, ensureLoadErrorsSql } from '../sql/load-errors.js';
import type { Table } from '../sql/schema.js';
import { statement, type Statement } from '../sql/statement.js';
import { copyIntoStaging, type CopyResult } from './copy-into-staging.js';
import type { StageResult } from './events.js';
import type { IdleTime } from './idle-time.js';
import { parseJsonPathsFile } from './jsonpaths.js';
import { recordRejections } from './record-rejections.js';
import { eventRows, songRows, type RowMapping } from './row-encoders.js';
import { RowsAhead, type AheadOptions } from './rows-ahead.js';
import { openSource } from './sources/open-source.js';
import type { FileSet, LoadOptions } from './sources/source.js';
import type { PlanOptions, StageAhead, StageContext, StagePlan } from './stage.js';

/** An extract's statements by what they do; `statements` lists them in the order run() sends them. */
export interface ExtractPlan extends StagePlan, StagingFill {
  /** A kept load_errors (it may predate the table) is made if missing, and this table's rows in it cleared. */
  clear: Statement[];
}

/** The extract: load_errors readied, then staging filled as the engine fills it (see StagingFill). */
export function planExtract(table: Table, source: Source, engine: Engine, config: Config, { build, maxErrors = 0 }: PlanOptions): ExtractPlan {
  // A load_errors rebuilt in this run is new and empty.
  const clear = build.rebuilds('load_errors') ? [] : [statement(ensureLoadErrorsSql(engine.ddl)), statement(clearLoadErrorsSql(table))];
  const fill = engine.planStagingFill(table, source, config, build, maxErrors);
  const statements = [...clear, fill.started, fill.copy, fill.count, fill.recordErrors, fill.analyze].filter((s): s is Statement => s !== null);
  return { ...fill, clear, statements };
}

export async function runExtract(ctx: StageContext, table: Table, source: Source, plan: ExtractPlan): Promise<StageResult> {
  const { wh, signal } = ctx;
  for (const s of plan.clear) await wh.query(s.sql, [], signal);
  if (plan.kind === 'server') {
    // The server reads the files itself.
    await wh.engine.runServerCopy(wh, plan.started!.sql, plan.copy.sql, signal);
    const { rows } = await wh.query<{ n: number }>(plan.count!.sql, [], signal);
    const rejected = plan.recordErrors ? ((await wh.query(plan.recordErrors.sql, [], signal)).rowCount ?? 0) : 0;
    return { rows: Number(rows[0]!.n), ...(rejected > 0 ? { rejected } : {}) };
  }
  ctx.ahead?.begin();
  const result = await (ctx.ahead?.copying ?? copyFiles(ctx, table, source, plan.copy.sql));
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

/** The extract's COPY begun while the stage before runs, where the client streams the rows (not where the server reads the files). */
export function extractAhead(ctx: StageContext & { idle: IdleTime }, table: Table, which: Source, plan: ExtractPlan): StageAhead | undefined {
  if (plan.kind !== 'stream') return undefined;
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

import type { Config } from '../config/types.js';
import { describeLocation } from '../config/location.js';
import type { Engine, Source, StagingFill } from '../engines/engine.js';
import { ensureDefaultSample } from '../generate/default-sample.js';
import { clearLoadErrorsSql, ensureLoadErrorsSql } from '../sql/load-errors.js';
import { clearLoadDigestSql, ensureLoadDigestsSql, recordLoadDigestSql } from '../sql/load-digests.js';
import { clearLoadHistorySql, ensureLoadHistorySql } from '../sql/load-history.js';
import type { Table } from '../sql/schema.js';
import { statement, type Statement } from '../sql/statement.js';
import { copyIntoStaging, type CopyResult, type FileTracker } from './copy-into-staging.js';
import type { StageResult } from './events.js';
import type { IdleTime } from './idle-time.js';
import { parseJsonPathsFile } from './jsonpaths.js';
import { recordRejections } from './record-rejections.js';
import { eventRows, songRows, type RowMapping } from './row-encoders.js';
import { RowsAhead, type AheadOptions } from './rows-ahead.js';
import { openSource } from './sources/open-source.js';
import type { DataSource, FileSet, LoadOptions } from './sources/source.js';
import { writeLoadDigest } from './load-digests.js';
import { LoadRecord } from './load-history.js';
import type { PlanOptions, StageAhead, StageContext, StagePlan } from './stage.js';

/** An extract's statements by what they do; `statements` lists them in the order run() sends them. */
export interface ExtractPlan extends StagePlan, StagingFill {
  /** A kept load_errors, load_history and load_digests (they may predate the tables) are made if missing, and this table's rows in them cleared. */
  clear: Statement[];
  /** The digest of the record the client wrote (a server's record gets none). */
  recordDigest: Statement | null;
}

export const RECORD_DIGEST_NOTE = "$1: the digest of the table's record (its files' names and versions), $2: how many files it has";

/** The extract: load_errors readied, then staging filled as the engine fills it (see StagingFill). */
export function planExtract(table: Table, source: Source, engine: Engine, config: Config, { build, maxErrors = 0 }: PlanOptions): ExtractPlan {
  // A load_errors or load_history rebuilt in this run is new and empty.
  const clearErrors = build.rebuilds('load_errors') ? [] : [statement(ensureLoadErrorsSql(engine.ddl)), statement(clearLoadErrorsSql(table))];
  const clearHistory = build.rebuilds('load_history') ? [] : [statement(ensureLoadHistorySql(engine.ddl)), statement(clearLoadHistorySql(table))];
  const clearDigest = build.rebuilds('load_digests') ? [] : [statement(ensureLoadDigestsSql(engine.ddl)), statement(clearLoadDigestSql(table))];
  const clear = [...clearErrors, ...clearHistory, ...clearDigest];
  const fill = engine.planStagingFill(table, source, config, build, maxErrors);
  const recordDigest = fill.kind === 'stream' ? statement(recordLoadDigestSql(table, build), { note: RECORD_DIGEST_NOTE }) : null;
  const statements = [...clear, fill.started, fill.copy, fill.count, fill.recordErrors, fill.recordLoads, recordDigest, fill.analyze].filter(
    (s): s is Statement => s !== null,
  );
  return { ...fill, clear, recordDigest, statements };
}

export async function runExtract(ctx: StageContext, table: Table, source: Source, plan: ExtractPlan): Promise<StageResult> {
  const { wh, signal } = ctx;
  for (const s of plan.clear) await wh.query(s.sql, [], signal);
  if (plan.kind === 'server') {
    // The server reads the files itself.
    await wh.engine.runServerCopy(wh, plan.started!.sql, plan.copy.sql, signal);
    const { rows } = await wh.query<{ n: number }>(plan.count!.sql, [], signal);
    const rejected = plan.recordErrors ? ((await wh.query(plan.recordErrors.sql, [], signal)).rowCount ?? 0) : 0;
    if (plan.recordLoads) await wh.query(plan.recordLoads.sql, [], signal);
    return { rows: Number(rows[0]!.n), ...(rejected > 0 ? { rejected } : {}) };
  }
  ctx.ahead?.begin();
  const result = await (ctx.ahead?.copying ?? copyFiles(ctx, table, source, plan.copy.sql));
  if (result.rejections.length > 0) await recordRejections(wh, table, result.rejections, plan.recordErrors!.sql, signal);
  await result.record.write(wh, plan.recordLoads!.sql, signal);
  await writeLoadDigest(wh, plan.recordDigest!.sql, result.record.digest, signal);
  // Lent too: the ANALYZE of a million events takes a while.
  const analyzed = wh.query(plan.analyze!.sql, [], signal);
  await (ctx.idle ? ctx.idle.during(analyzed) : analyzed);
  return { rows: result.rows, bytes: result.bytes, ...(result.rejections.length > 0 ? { rejected: result.rejections.length } : {}) };
}

/** A full extract's COPY, and the load_history rows of the files it read. */
interface ExtractResult extends CopyResult {
  record: LoadRecord;
}

/**
 * The COPY of an extract's files; with `ahead`, its rows are made before it
 * starts. The files are numbered from 1 in the order they are read, and each
 * is recorded with the version read: its size, and the modification time of
 * the file opened (or the ETag listed); one that changes after it was read is
 * seen as changed by the next incremental run.
 */
async function copyFiles(ctx: StageContext, table: Table, which: Source, copySql: string, ahead?: AheadOptions): Promise<ExtractResult> {
  const { wh, config, signal, maxErrors } = ctx;
  const rowsAhead = ahead && new RowsAhead(ahead, signal);
  // Ahead, the files are read in lent time too (a reader thread would compete
  // with both the server and this thread), and even counted then.
  await rowsAhead?.turn();
  const input = openInput(config, which, { onThisThread: rowsAhead !== undefined });
  try {
    // Its failure (a missing jsonpaths file) is said before the input's.
    const mapping = await rowMappingFor(config, which, table);
    const record = new LoadRecord(table, ctx.run);
    let lastId = 0;
    const files: FileTracker = {
      idOf: () => ++lastId,
      loaded: (file, id, bytes, rows, rejected) => record.add(id, file.name, { size: bytes, modifiedMs: file.modifiedMs, etag: file.etag }, rows, rejected),
    };
    const options = { copySql, signal, onProgress: ctx.progress, maxErrors, lend: ctx.idle, ahead: rowsAhead, files };
    const result = await copyIntoStaging(wh, table, await input, mapping, options);
    return { ...result, record };
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
  const copying: Promise<ExtractResult> = copyFiles({ ...ctx, signal: controller.signal, idle: undefined }, table, which, plan.copy.sql, {
    idle: ctx.idle,
    started,
  });
  // Its failure is the stage's, when the stage awaits it.
  copying.catch(() => {}).finally(() => ctx.signal.removeEventListener('abort', cancel));
  return { begin, copying, cancel };
}

/** How the source's objects become the table's rows: the events through the jsonpaths file, the songs by field name. */
export async function rowMappingFor(config: Config, which: Source, table: Table): Promise<RowMapping> {
  if (which === 'songs') return songRows(table);
  const pathsName = describeLocation(config.s3.logJsonPath);
  const pathsText = await openSource(config.s3.logJsonPath, config).readText();
  return eventRows(parseJsonPathsFile(pathsText, pathsName), table, pathsName);
}

/** The source of the events or the songs; the default sample is generated first where it is the data and is not there yet. */
export function sourceOf(config: Config, which: Source): DataSource {
  if (config.defaultSample) ensureDefaultSample(config.defaultSample);
  return openSource(which === 'events' ? config.s3.logData : config.s3.songData, config);
}

function openInput(config: Config, which: Source, options: LoadOptions): Promise<FileSet> {
  const input = sourceOf(config, which).load(options);
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

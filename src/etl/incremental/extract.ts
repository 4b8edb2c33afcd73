import type { Config } from '../../config/types.js';
import type { Engine } from '../../engines/engine.js';
import { clearLoadDigestSql, ensureLoadDigestsSql, recordLoadDigestSql } from '../../sql/load-digests.js';
import { deleteFileErrorsSql, deleteFilesSql } from '../../sql/load-history.js';
import type { Table } from '../../sql/schema.js';
import { statement, type Statement } from '../../sql/statement.js';
import { copyIntoStaging, type FileTracker } from '../copy-into-staging.js';
import type { StageResult } from '../events.js';
import { RECORD_DIGEST_NOTE, rowMappingFor, sourceOf } from '../extract-stage.js';
import { writeLoadDigest } from '../load-digests.js';
import { LoadRecord } from '../load-history.js';
import { recordRejections } from '../record-rejections.js';
import type { StageContext, StagePlan } from '../stage.js';
import { removedFiles, type TableDelta } from './delta.js';
import type { ListedFill } from '../../engines/engine.js';
import { EXIT, SparkifyError } from '../../sparkify-error.js';

/** An incremental extract's statements by what they do; `statements` lists them in the order run() sends them. */
export interface IncrementalExtractPlan extends StagePlan {
  delta: TableDelta;
  /** The replaced and pruned files' rows, records and rejected rows, removed. */
  remove: Statement[];
  /** Of `remove`, the one that removes their staging rows. */
  removeRows: Statement | null;
  fill: ListedFill | null;
  /** The digest of the record as the run leaves it, where the client knows it (not after a server's fill). */
  recordDigest: Statement | null;
}

export function planIncrementalExtract(
  table: Table,
  delta: TableDelta,
  engine: Engine,
  config: Config,
  maxErrors: number,
  loadedAt: Date,
): IncrementalExtractPlan {
  const removed = removedFiles(delta);
  const mixed = engine.reloadRowsKnowTheirFile ? undefined : removed.find((f) => f.runKind !== 'incremental');
  if (mixed) throw new UnaddressableFileError(mixed.location);
  const remove: Statement[] = [statement(ensureLoadDigestsSql(engine.ddl)), statement(clearLoadDigestSql(table))];
  const ids = removed.map((f) => f.fileId);
  const removeRows = removed.length > 0 ? statement(deleteFilesSql('staging', table, ids)) : null;
  if (removeRows) remove.push(removeRows, statement(deleteFilesSql('load_history', table, ids)));
  // Rows rejected before from a file now loaded again (changed, or rejected whole) are reported anew.
  const reported = [...removed.map((f) => f.location), ...delta.toLoad.map((f) => f.name)];
  if (reported.length > 0) remove.push(statement(deleteFileErrorsSql(table, reported)));
  const fill = delta.toLoad.length > 0 ? engine.planListedFill(table, table.source!, config, { ...delta, loadedAt }, maxErrors) : null;
  const recordDigest = fill?.kind === 'server' ? null : statement(recordLoadDigestSql(table), { note: RECORD_DIGEST_NOTE });
  return { delta, remove, removeRows, fill, recordDigest, statements: [...remove, ...(fill?.statements ?? []), ...(recordDigest ? [recordDigest] : [])] };
}

export async function runIncrementalExtract(ctx: StageContext, table: Table, plan: IncrementalExtractPlan): Promise<StageResult> {
  const { wh, config, signal, maxErrors } = ctx;
  let removedRows = 0;
  for (const s of plan.remove) {
    const result = await wh.query(s.sql, [], signal);
    if (s === plan.removeRows) removedRows = result.rowCount ?? 0;
  }
  const removed = removedRows > 0 ? { removed: removedRows } : {};
  const { fill, delta } = plan;
  if (!fill) {
    await writeLoadDigest(wh, plan.recordDigest!.sql, delta.kept, signal);
    return { rows: 0, ...removed };
  }
  if (fill.kind === 'server') return { ...(await wh.engine.runListedServerFill(wh, fill, signal)), ...removed };
  const source = sourceOf(config, table.source!);
  const ids = new Map(delta.toLoad.map((f, i) => [f.name, delta.firstFileId + i]));
  const mapping = await rowMappingFor(config, table.source!, table);
  const input = await source.loadListed(delta.toLoad);
  const record = new LoadRecord(table, ctx.run, delta.kept.copy());
  const files: FileTracker = {
    idOf: (file) => ids.get(file.name),
    // The version listed: what the next run compares with.
    loaded: (file, id, _bytes, rows, rejected) => record.add(id, file.name, delta.toLoad[id - delta.firstFileId]!, rows, rejected),
  };
  const result = await copyIntoStaging(wh, table, input, mapping, { copySql: fill.copy.sql, signal, onProgress: ctx.progress, maxErrors, files });
  if (result.rejections.length > 0) await recordRejections(wh, table, result.rejections, fill.recordErrors!.sql, signal);
  await record.write(wh, fill.recordLoads.sql, signal);
  await wh.query(fill.analyze.sql, [], signal);
  if (fill.summarize) await wh.query(fill.summarize.sql, [], signal);
  await writeLoadDigest(wh, plan.recordDigest!.sql, record.digest, signal);
  return { rows: result.rows, bytes: result.bytes, ...(result.rejections.length > 0 ? { rejected: result.rejections.length } : {}), ...removed };
}

/** A file a reload loaded changed or is pruned, on an engine whose reload cannot tell its rows apart by file. */
export class UnaddressableFileError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'UnaddressableFileError';
  constructor(location: string) {
    super(
      `${location} changed or is gone since a reload loaded it, and Redshift's COPY of a whole prefix does not record which rows came from which file: run sparkify reload to load it again`,
    );
  }
}

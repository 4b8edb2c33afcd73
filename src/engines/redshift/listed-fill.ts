import type { Config, RedshiftSystemViews } from '../../config/types.js';
import { ident } from '../../sql/identifiers.js';
import { sourceColumnList } from '../../sql/staging-load.js';
import { quoteLiteral, utcTimestampText } from '../../sql/literals.js';
import type { Source, Table } from '../../sql/schema.js';
import { statement } from '../../sql/statement.js';
import { EXIT, SparkifyError } from '../../sparkify-error.js';
import type { Warehouse } from '../../warehouse/connection.js';
import type { ListedFill, ListedFiles, ServerFileFill } from '../engine.js';
import { copyEventsSql, copySongsSql } from './copy.js';
import { COPY_STARTED_SQL, copyOnRedshift } from './load-errors.js';
import { redshiftMonitoring } from './system-views.js';

/** The session's scratch table each object is copied into, before its rows take their file id. */
const incomingName = (table: Table) => `${table.name}__incoming`;

/** A TIMESTAMP literal, UTC to the millisecond, as load_history keeps times. */
function timestampLiteral(ms: number | null): string {
  return ms !== null ? `TIMESTAMP '${utcTimestampText(ms)}'` : 'CAST(NULL AS TIMESTAMP)';
}

/**
 * An incremental run's fill on Redshift: one COPY per new object, by its
 * full key, into a temporary table; its rows then move into staging with the
 * object's file id. A manifest would do it in one COPY, but needs a place in
 * S3 that sparkify may write to; a COPY names a key prefix, so an object whose
 * key another object's key extends cannot be copied alone, and is refused.
 */
export function planRedshiftListedFill(
  views: RedshiftSystemViews,
  table: Table,
  source: Source,
  config: Config,
  { toLoad, firstFileId, loadedAt }: ListedFiles,
  maxErrors: number,
): ListedFill {
  const extended = toLoad.find((f) => f.extendedBy);
  if (extended) {
    throw new KeyPrefixError(extended.name, extended.extendedBy!);
  }
  const incoming = incomingName(table);
  const columns = sourceColumnList(table);
  const setup = statement(`CREATE TEMP TABLE ${incoming} (LIKE ${ident(table.name)})`);
  const perFile: ServerFileFill[] = toLoad.map((file, i) => {
    const target = { from: file.name, into: incoming };
    const copy = source === 'events' ? copyEventsSql(config, maxErrors, undefined, target) : copySongsSql(config, maxErrors, undefined, target);
    const move = `INSERT INTO ${ident(table.name)} (${columns}, ${ident(table.fileIdColumn!)}) SELECT ${columns}, ${firstFileId + i} FROM ${incoming}`;
    const recordErrors = maxErrors > 0 ? statement(redshiftMonitoring(views).recordLoadErrors(table, undefined, incoming)) : null;
    return { started: statement(COPY_STARTED_SQL), copy: statement(copy), move: statement(move), recordErrors, clear: statement(`DELETE FROM ${incoming}`) };
  });
  const files = toLoad.map(
    (f, i) =>
      `SELECT ${firstFileId + i} AS file_id, ${quoteLiteral(f.name)} AS location, ${f.size} AS size_bytes, ${timestampLiteral(f.modifiedMs)} AS modified_at, ${f.etag === null ? 'CAST(NULL AS VARCHAR(64))' : quoteLiteral(f.etag)} AS etag`,
  );
  // A file of which nothing loaded (every row rejected) has no rows to join: it is not recorded, and is tried again next time.
  const recordLoads =
    statement(`INSERT INTO load_history (file_id, table_name, location, size_bytes, modified_at, etag, row_count, rejected_count, run_kind, loaded_at)
SELECT f.file_id, ${quoteLiteral(table.name)}, f.location, f.size_bytes, f.modified_at, f.etag, COUNT(*),
       (SELECT COUNT(*) FROM load_errors x WHERE x.table_name = ${quoteLiteral(table.name)} AND x.source = f.location), 'incremental', ${timestampLiteral(loadedAt.getTime())}
FROM (
  ${files.join('\n  UNION ALL ')}
) f
JOIN ${ident(table.name)} s ON s.${ident(table.fileIdColumn!)} = f.file_id
GROUP BY f.file_id, f.location, f.size_bytes, f.modified_at, f.etag`);
  const teardown = statement(`DROP TABLE ${incoming}`);
  const fileStatements = (f: ServerFileFill) => [f.started, f.copy, f.move, ...(f.recordErrors ? [f.recordErrors] : []), f.clear];
  const statements = [setup, ...perFile.flatMap(fileStatements), recordLoads, teardown];
  return { kind: 'server', setup: [setup], perFile, recordLoads, teardown: [teardown], statements, maxErrors };
}

/** Sends the fill, each COPY as a server copy is sent (its failure worded from the error view); returns the rows moved and left out. */
export async function runRedshiftListedFill(wh: Warehouse, fill: Extract<ListedFill, { kind: 'server' }>, signal: AbortSignal) {
  for (const s of fill.setup) await wh.query(s.sql, [], signal);
  let rows = 0;
  let rejected = 0;
  for (const file of fill.perFile) {
    await copyOnRedshift(wh, file.started.sql, file.copy.sql, signal);
    rows += (await wh.query(file.move.sql, [], signal)).rowCount ?? 0;
    if (file.recordErrors) rejected += (await wh.query(file.recordErrors.sql, [], signal)).rowCount ?? 0;
    await wh.query(file.clear.sql, [], signal);
    // --max-errors counts per table, as a full run's does: each COPY alone would allow that many.
    if (rejected > fill.maxErrors)
      throw new Error(`more than ${fill.maxErrors} bad rows (--max-errors): the COPYs of the new objects so far left out ${rejected}`);
  }
  await wh.query(fill.recordLoads.sql, [], signal);
  for (const s of fill.teardown) await wh.query(s.sql, [], signal);
  return { rows, ...(rejected > 0 ? { rejected } : {}) };
}

/** An object whose key another key extends, which a COPY cannot load alone: the source's layout is at fault (bad input, exit 1), found before anything is sent. */
export class KeyPrefixError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'KeyPrefixError';
  constructor(key: string, extendedBy: string) {
    super(`${key}: a COPY of this key would also load ${extendedBy} (COPY reads every key that starts with the one it is given); rename one of them`);
  }
}

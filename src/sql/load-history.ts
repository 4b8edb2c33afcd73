import { ident } from './identifiers.js';
import { quoteLiteral } from './literals.js';
import { createTableSql, type DdlVariant } from './render-ddl.js';
import { LOAD_HISTORY, type Table } from './schema.js';
import { copyFromStdinSql } from './staging-load.js';
import { TableBuild } from './table-build.js';

/** How a run loaded its files: a reload, an etl of a staging table, or an incremental run. */
export type RunKind = 'reload' | 'etl' | 'incremental';

/** Made by reset; also here for warehouses created before the table existed. */
export function ensureLoadHistorySql(ddl: DdlVariant, build = TableBuild.NONE): string {
  return createTableSql(LOAD_HISTORY, ddl, build, true);
}

/** A staging table built anew starts its record afresh (inside the run's transaction). */
export function clearLoadHistorySql(table: Table, build = TableBuild.NONE): string {
  return `DELETE FROM ${build.ref('load_history')} WHERE table_name = ${quoteLiteral(table.name)}`;
}

/**
 * What an incremental run compares a source with: every file loaded into
 * these tables (in no order: sorting 100k rows cost 0.27 s), the time as
 * fixed text whatever the server's DateStyle.
 */
export function readLoadHistorySql(tables: readonly Table[]): string {
  const names = tables.map((t) => quoteLiteral(t.name)).join(', ');
  return `SELECT file_id, table_name, location, size_bytes, TO_CHAR(modified_at, 'YYYY-MM-DD HH24:MI:SS.MS') AS modified_at, etag, run_kind FROM load_history WHERE table_name IN (${names})`;
}

/** PostgreSQL: a row per file loaded, streamed by the client. */
export function copyLoadHistorySql(build = TableBuild.NONE): string {
  return copyFromStdinSql(LOAD_HISTORY, build);
}

/** The rows of these files, in a staging table or its record (file ids are the table's own). */
export function deleteFilesSql(target: 'staging' | 'load_history', table: Table, fileIds: readonly number[]): string {
  const ids = fileIds.join(', ');
  if (target === 'staging') return `DELETE FROM ${ident(table.name)} WHERE ${ident(table.fileIdColumn!)} IN (${ids})`;
  return `DELETE FROM load_history WHERE table_name = ${quoteLiteral(table.name)} AND file_id IN (${ids})`;
}

/** The rows these files left out, from load_errors (which names each by its location). */
export function deleteFileErrorsSql(table: Table, locations: readonly string[]): string {
  return `DELETE FROM load_errors WHERE table_name = ${quoteLiteral(table.name)} AND source IN (${locations.map(quoteLiteral).join(', ')})`;
}

import { quoteLiteral } from './literals.js';
import { createTableSql, type DdlVariant } from './render-ddl.js';
import { LOAD_ERRORS, type Table } from './schema.js';
import { copyFromStdinSql } from './staging-load.js';
import { TableBuild } from './table-build.js';

/** Made by reset; also here for warehouses created before the table existed. */
export function ensureLoadErrorsSql(ddl: DdlVariant, build = TableBuild.NONE): string {
  return createTableSql(LOAD_ERRORS, ddl, build, true);
}

/** Each extract starts its table's record afresh (inside the run's transaction). */
export function clearLoadErrorsSql(table: Table, build = TableBuild.NONE): string {
  return `DELETE FROM ${build.ref('load_errors')} WHERE table_name = ${quoteLiteral(table.name)}`;
}

/** PostgreSQL: the rows an extract left out, streamed by the client. */
export function copyLoadErrorsSql(build = TableBuild.NONE): string {
  return copyFromStdinSql(LOAD_ERRORS, build);
}

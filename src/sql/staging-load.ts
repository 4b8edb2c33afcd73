import { ident } from './identifiers.js';
import type { Table } from './schema.js';
import { TableBuild } from './table-build.js';

/** The COPY the client streams rows into (PostgreSQL and the embedded engine); with `fileIds`, each row ends with its file's id. */
/** A staging table's source columns (those the files fill), named, as a COPY's column list: its file_id is not among them. */
export function sourceColumnList(table: Table): string {
  return table.columns.map((c) => ident(c.name)).join(', ');
}

export function copyFromStdinSql(table: Table, build = TableBuild.NONE, { fileIds = true } = {}): string {
  const fileId = fileIds && table.fileIdColumn ? `, ${ident(table.fileIdColumn)}` : '';
  return `COPY ${build.ref(table.name)} (${sourceColumnList(table)}${fileId}) FROM STDIN`;
}

/**
 * Fresh statistics on the columns the transforms filter and join on: without
 * them the planner guesses the size of a just-loaded table and may join by
 * nested loop (songplays 13x slower at 10k events). All columns would cost
 * ~0.3 s more at 100k events.
 */
export function analyzeSql(table: Table, build = TableBuild.NONE): string {
  return `ANALYZE ${build.ref(table.name)}${table.statistics ? ` (${table.statistics.map(ident).join(', ')})` : ''}`;
}

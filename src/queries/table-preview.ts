import { ident } from '../sql/identifiers.js';
import type { TableName } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import { runQuery, type QueryResult } from './run-query.js';

/** How many rows a preview shows: the first the server returns, in no particular order. */
export const PREVIEW_ROWS = 100;

export const CURRENT_SCHEMA_SQL = 'SELECT current_schema() AS name';

/** The first rows of a table of the schema, its name quoted where a dialect reserves it; the same SQL on every engine. */
export function previewRowsSql(table: TableName): string {
  return `SELECT * FROM ${ident(table)} LIMIT ${PREVIEW_ROWS}`;
}

export function previewCountSql(table: TableName): string {
  return `SELECT COUNT(*) AS n FROM ${ident(table)}`;
}

export interface TablePreview {
  table: TableName;
  /** Its first rows, each column with its type. */
  result: QueryResult;
  /** Every row of the table. */
  rowCount: number;
  /** Its size on disk, or null with why. */
  bytes: number | null;
  sizeProblem: string | null;
}

interface ColumnType {
  column_name: string;
  data_type: string;
  character_maximum_length: number | null;
}

/**
 * A table's first PREVIEW_ROWS rows, its row count, each column's type and
 * the table's size, on the session given (the app's reader, so that a
 * preview is answered during a run). The types and the size come from the
 * engine's catalog SQL; a size the server will not give (Redshift's
 * SVV_TABLE_INFO to a user without the right to it) is said, not fatal.
 */
export async function previewTable(wh: Warehouse, table: TableName, signal?: AbortSignal): Promise<TablePreview> {
  const result = await runQuery(wh, previewRowsSql(table), [], signal);
  const count = await wh.query<{ n: number | string }>(previewCountSql(table), [], signal);
  const schema = (await wh.query<{ name: string }>(CURRENT_SCHEMA_SQL, [], signal)).rows[0]!.name;
  const types = await wh.query<ColumnType>(wh.engine.previewColumnsSql, [schema, table], signal);
  const typeOf = new Map(
    types.rows.map((t) => [t.column_name, t.character_maximum_length === null ? t.data_type : `${t.data_type}(${t.character_maximum_length})`]),
  );
  let bytes: number | null = null;
  let sizeProblem: string | null = null;
  try {
    const size = await wh.query<{ bytes: number | string }>(wh.engine.tableSizeSql, [schema, table], signal);
    if (size.rows[0]) bytes = Number(size.rows[0].bytes);
    else sizeProblem = 'not known (the server keeps no size for an empty table)';
  } catch (error) {
    if (signal?.aborted) throw error;
    // The server's words only: messageOf's hints are about sparkify's own tables.
    sizeProblem = `not known: ${wh.mask(error instanceof Error ? error.message : String(error))}`;
  }
  return {
    table,
    result: { ...result, columns: result.columns.map((c) => ({ ...c, type: typeOf.get(c.name) })) },
    rowCount: Number(count.rows[0]!.n),
    bytes,
    sizeProblem,
  };
}

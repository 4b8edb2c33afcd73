import type { Warehouse } from '../warehouse/connection.js';
import { NUMERIC_TYPE_IDS } from '../warehouse/pg-types.js';

export interface ResultColumn {
  name: string;
  numeric: boolean;
  /** The column's type as the catalog names it (a table's preview shows it under the name). */
  type?: string;
}

export interface QueryResult {
  columns: ResultColumn[];
  rows: unknown[][];
  ms: number;
}

/** Runs SQL with its bind values and returns its rows as arrays, with which columns are numbers. */
export async function runQuery(wh: Warehouse, sql: string, values: unknown[] = [], signal?: AbortSignal): Promise<QueryResult> {
  const started = performance.now();
  const result = await wh.cancellable(signal, (client) => client.query({ text: sql, values, rowMode: 'array' }));
  return {
    columns: result.fields.map((f) => ({ name: f.name, numeric: NUMERIC_TYPE_IDS.has(f.dataTypeID) })),
    rows: result.rows as unknown[][],
    ms: Math.round(performance.now() - started),
  };
}

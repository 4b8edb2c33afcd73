import { ident } from '../sql/identifiers.js';
import { TABLES, type TableName } from '../sql/schema.js';
import type { Warehouse } from './connection.js';

/** Row count per table, in pipeline order; null where the table does not exist yet. */
export type TableCounts = Record<TableName, number | null>;

const NAMES = TABLES.map((t) => t.name);

/** Which of the tables exist: $1 … $8 their names. */
export const PRESENT_TABLES_SQL = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN (${NAMES.map((_, i) => `$${i + 1}`).join(', ')})`;

/** The row count of each of these tables, in one statement. */
export function countRowsSql(tables: readonly TableName[]): string {
  return tables.map((n) => `SELECT '${n}' AS name, COUNT(*) AS n FROM ${ident(n)}`).join('\nUNION ALL\n');
}

export async function tableCounts(wh: Warehouse, signal?: AbortSignal): Promise<TableCounts> {
  const names = NAMES;
  const { rows } = await wh.query<{ table_name: string }>(PRESENT_TABLES_SQL, names, signal);
  const present = new Set(rows.map((r) => r.table_name));
  const counts = {} as TableCounts;
  const existing = names.filter((n) => present.has(n));
  for (const name of names) counts[name] = null;
  if (existing.length > 0) {
    const result = await wh.query<{ name: TableName; n: number }>(countRowsSql(existing), [], signal);
    for (const row of result.rows) counts[row.name] = Number(row.n);
  }
  return counts;
}

import { ident } from '../sql/identifiers.js';
import { PIPELINE_ORDER, type TableName } from '../sql/schema.js';
import type { Warehouse } from './connection.js';

/** Row count per table, in pipeline order; null where the table does not exist yet. */
export type TableCounts = Record<TableName, number | null>;

export async function tableCounts(wh: Warehouse, signal?: AbortSignal): Promise<TableCounts> {
  const names = PIPELINE_ORDER.map((t) => t.name);
  const { rows } = await wh.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    names,
    signal,
  );
  const present = new Set(rows.map((r) => r.table_name));
  const counts = {} as TableCounts;
  const existing = names.filter((n) => present.has(n));
  for (const name of names) counts[name] = null;
  if (existing.length > 0) {
    const sql = existing.map((n) => `SELECT '${n}' AS name, COUNT(*) AS n FROM ${ident(n)}`).join('\nUNION ALL\n');
    const result = await wh.query<{ name: TableName; n: number }>(sql, [], signal);
    for (const row of result.rows) counts[row.name] = Number(row.n);
  }
  return counts;
}

import type { Warehouse } from '../warehouse/connection.js';
import { CURRENT_SCHEMA_SQL } from './adhoc-sql.js';

export interface CatalogColumn {
  name: string;
  /** The type as the catalog names it: `integer`, `character varying`, `timestamp without time zone`. */
  type: string;
}

export interface CatalogTable {
  /** A table's or a view's name, in the schema unqualified names resolve to. */
  table: string;
  /** Its columns, in their order. */
  columns: CatalogColumn[];
}

/**
 * The tables and views of the warehouse's schema (the one unqualified names
 * resolve to: sparkify's tables and any an analyst made beside them) with
 * their columns, by name: for completing names in an editor. Two queries,
 * as Redshift runs current_schema() on its leader node only.
 */
export async function loadCatalog(wh: Warehouse, signal?: AbortSignal): Promise<CatalogTable[]> {
  const schema = (await wh.query<{ schema_name: string | null }>(CURRENT_SCHEMA_SQL, [], signal)).rows[0]?.schema_name;
  if (!schema) return [];
  const { rows } = await wh.query<{ table_name: string; column_name: string; data_type: string }>(wh.engine.columnsCatalogSql, [schema], signal);
  const tables: CatalogTable[] = [];
  for (const row of rows) {
    const last = tables.at(-1);
    const column = { name: row.column_name, type: row.data_type };
    if (last?.table === row.table_name) last.columns.push(column);
    else tables.push({ table: row.table_name, columns: [column] });
  }
  return tables;
}

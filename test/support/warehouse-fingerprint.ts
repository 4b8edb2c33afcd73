import { STAGING_TABLES, STAR_TABLES } from '../../src/sql/schema.js';
import { ident } from '../../src/sql/identifiers.js';
import type { Warehouse } from '../../src/warehouse/connection.js';

/**
 * The columns each table is compared by: every column but the surrogate
 * songplay_id (an incremental run numbers new plays after the old ones) and
 * staging's file_id (which numbers files in the order they were loaded).
 */
const COMPARED = [...STAGING_TABLES, ...STAR_TABLES].map((t) => ({
  name: t.name,
  columns: t.columns.filter((c) => c.name !== 'songplay_id').map((c) => ident(c.name)),
}));

export interface TableFingerprint {
  rows: number;
  /** The md5 of every row's text, in order: equal for equal multisets of rows. */
  md5: string;
}

/** Each staging and star table's row count and the md5 of its rows (compared columns only). */
export async function warehouseFingerprint(wh: Warehouse): Promise<Record<string, TableFingerprint>> {
  const result: Record<string, TableFingerprint> = {};
  for (const { name, columns } of COMPARED) {
    const { rows } = await wh.query<{ n: number; md5: string | null }>(
      `SELECT COUNT(*)::int AS n, md5(string_agg(r, E'\\n' ORDER BY r)) AS md5 FROM (SELECT ROW(${columns.join(', ')})::text AS r FROM ${ident(name)}) t`,
    );
    result[name] = { rows: rows[0]!.n, md5: rows[0]!.md5 ?? '' };
  }
  return result;
}

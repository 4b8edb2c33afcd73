import { quoteLiteral } from './literals.js';
import { createTableSql, type DdlVariant } from './render-ddl.js';
import { LOAD_DIGESTS, type Table } from './schema.js';
import { TableBuild } from './table-build.js';

/** Made by reset; also here for warehouses created before the table existed. */
export function ensureLoadDigestsSql(ddl: DdlVariant, build = TableBuild.NONE): string {
  return createTableSql(LOAD_DIGESTS, ddl, build, true);
}

/**
 * A table's digest is removed by every run that changes its record; the
 * client writes it again once it knows the record (see recordLoadDigestSql).
 * A record written by the server (Redshift's COPY of a prefix) gets none.
 */
export function clearLoadDigestSql(table: Table, build = TableBuild.NONE): string {
  return `DELETE FROM ${build.ref('load_digests')} WHERE table_name = ${quoteLiteral(table.name)}`;
}

/**
 * The digest of the table's record as the run leaves it ($1, of $2 files),
 * with the count and last file_id the server finds in load_history: written
 * only if the server counts $2 files too.
 */
export function recordLoadDigestSql(table: Table, build = TableBuild.NONE): string {
  return `INSERT INTO ${build.ref('load_digests')} (table_name, file_count, last_file_id, digest)
SELECT table_name, COUNT(*), MAX(file_id), CAST($1 AS VARCHAR(16)) FROM ${build.ref('load_history')}
WHERE table_name = ${quoteLiteral(table.name)} GROUP BY table_name HAVING COUNT(*) = CAST($2 AS BIGINT)`;
}

/** Whether load_digests exists (not in a warehouse made before it). */
export const LOAD_DIGESTS_PRESENT_SQL = `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'load_digests'`;

/** The digests still current: load_history still has the count and last file_id each was taken with. */
export const CURRENT_DIGESTS_SQL = `SELECT d.table_name, d.file_count, d.last_file_id, d.digest
FROM load_digests d
JOIN (SELECT table_name, COUNT(*) AS file_count, MAX(file_id) AS last_file_id FROM load_history GROUP BY table_name) h
  ON h.table_name = d.table_name AND h.file_count = d.file_count AND h.last_file_id = d.last_file_id`;

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

/** Milliseconds since the epoch of a time, as a whole number: the same text at write and at read, on each engine, whatever the session's DateStyle. */
const epochMs = (time: string) => `CAST(CAST(DATE_PART('epoch', ${time}) * 1000 AS BIGINT) AS VARCHAR(20))`;

/**
 * What the server finds of a table's record, as one text: its count, last
 * file_id, and first and last loaded_at. Any run that rewrites the record
 * (every version of sparkify sets loaded_at, and numbers a reload's files
 * from 1), and a row deleted by hand, changes it; the digest taken with it
 * is then no longer current. (Sums over every row would catch sizes and
 * times edited by hand too, but cost 70 ms more of the server's time at
 * 100k files, beside the listing.)
 */
const RECORD_SUMMARY = `CAST(COUNT(*) AS VARCHAR(20)) || ':' || CAST(MAX(file_id) AS VARCHAR(20))
  || ':' || ${epochMs('MIN(loaded_at)')} || ':' || ${epochMs('MAX(loaded_at)')}`;

/**
 * The digest of the table's record as the run leaves it ($1, of $2 files),
 * with what the server finds of the record: written only if the server
 * counts $2 files too.
 */
export function recordLoadDigestSql(table: Table, build = TableBuild.NONE): string {
  return `INSERT INTO ${build.ref('load_digests')} (table_name, file_count, last_file_id, record_summary, digest)
SELECT table_name, COUNT(*), MAX(file_id), ${RECORD_SUMMARY}, CAST($1 AS VARCHAR(16)) FROM ${build.ref('load_history')}
WHERE table_name = ${quoteLiteral(table.name)} GROUP BY table_name HAVING COUNT(*) = CAST($2 AS BIGINT)`;
}

/** Whether load_digests exists (not in a warehouse made before it). */
export const LOAD_DIGESTS_PRESENT_SQL = `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'load_digests'`;

/** The digests still current: the server finds each table's record as it was when its digest was taken. */
export const CURRENT_DIGESTS_SQL = `SELECT d.table_name, d.file_count, d.last_file_id, d.digest
FROM load_digests d
JOIN (SELECT table_name, ${RECORD_SUMMARY} AS record_summary FROM load_history GROUP BY table_name) h
  ON h.table_name = d.table_name AND h.record_summary = d.record_summary`;

import type { RedshiftSystemViews } from '../../config/types.js';
import { quoteLiteral } from '../../sql/literals.js';
import type { Table } from '../../sql/schema.js';
import { TableBuild } from '../../sql/table-build.js';

/**
 * The SQL that reads Redshift's system views, for each kind of warehouse.
 * A provisioned cluster has the STL and STV tables; Redshift Serverless has
 * none of them, only the SYS monitoring views (Developer Guide, "System
 * tables and views reference"; each SYS view's page for its columns).
 */
export interface RedshiftMonitoring {
  /** A subquery: the process ids (pg_backend_pid()) of the sessions alive now. */
  liveSessions: string;
  /** INSERT … SELECT into load_errors of the rows this session's last COPY into the table left out (MAXERROR). */
  recordLoadErrors(table: Table, build?: TableBuild, copiedInto?: string): string;
  /**
   * The first rows a failed COPY left in the error view: $1 the session's
   * process id, $2 the server's GETDATE() just before the COPY (UTC, the
   * session's default time zone, as the views' times are); read from a
   * second session, as the COPY's transaction has failed. Columns:
   * filename, line_number, colname, err_reason.
   */
  copyFailureRows: string;
}

const PROVISIONED: RedshiftMonitoring = {
  liveSessions: 'SELECT process FROM stv_sessions',
  recordLoadErrors: (table, build = TableBuild.NONE) =>
    [
      `INSERT INTO ${build.ref('load_errors')} (table_name, source, line, reason, raw_line)`,
      `SELECT ${quoteLiteral(table.name)}, TRIM(filename), line_number, TRIM(err_reason), TRIM(raw_line)`,
      'FROM stl_load_errors WHERE query = pg_last_copy_id()',
    ].join('\n'),
  copyFailureRows: `SELECT TRIM(filename) AS filename, line_number, TRIM(colname) AS colname, TRIM(err_reason) AS err_reason
FROM stl_load_errors WHERE session = $1 AND starttime >= $2 ORDER BY starttime DESC LIMIT 5`,
};

/**
 * SYS_SESSION_HISTORY lists sessions with their status (active, timed out,
 * closed); SYS_LOAD_ERROR_DETAIL a COPY's rejected rows by query_id and
 * session_id (the process id), without the raw line that stl_load_errors
 * keeps, so raw_line stays NULL. pg_last_copy_id() gives the query id of the
 * STL tables, which the SYS views number apart: this session's last COPY
 * into the table is its latest completed one (status running, completed or
 * aborted) for that table_name in SYS_LOAD_HISTORY. Naming the table keeps a
 * view that has not caught up yet from giving the COPY before it, another
 * table's.
 */
const SERVERLESS: RedshiftMonitoring = {
  liveSessions: "SELECT session_id FROM sys_session_history WHERE TRIM(status) = 'active'",
  recordLoadErrors: (table, build = TableBuild.NONE, copiedInto = build.nameOf(table.name)) =>
    [
      `INSERT INTO ${build.ref('load_errors')} (table_name, source, line, reason)`,
      `SELECT ${quoteLiteral(table.name)}, TRIM(file_name), line_number, TRIM(error_message)`,
      'FROM sys_load_error_detail',
      'WHERE query_id = (SELECT MAX(query_id) FROM sys_load_history',
      `  WHERE session_id = pg_backend_pid() AND table_name = ${quoteLiteral(copiedInto)} AND status = 'completed')`,
    ].join('\n'),
  copyFailureRows: `SELECT TRIM(file_name) AS filename, line_number, TRIM(column_name) AS colname, TRIM(error_message) AS err_reason
FROM sys_load_error_detail WHERE session_id = $1 AND start_time >= $2 ORDER BY start_time DESC LIMIT 5`,
};

/**
 * A reload's record of the files its COPY of a whole prefix loaded, from
 * SYS_LOAD_DETAIL (kept by provisioned clusters and Serverless alike): each
 * file's key, bytes, ETag and last modification, and its lines less the rows
 * left out. Its rows in staging cannot be told apart by file (a COPY fills
 * no column from the key), which the incremental run knows (see planIncrementalExtract).
 */
export function recordPrefixLoadsSql(table: Table, build = TableBuild.NONE): string {
  const name = quoteLiteral(table.name);
  return `INSERT INTO ${build.ref('load_history')} (file_id, table_name, location, size_bytes, modified_at, etag, row_count, rejected_count, run_kind, loaded_at)
SELECT ROW_NUMBER() OVER (ORDER BY f.location), ${name}, f.location, f.size_bytes, f.modified_at, f.etag,
       f.lines - COALESCE(e.n, 0), COALESCE(e.n, 0), 'reload', GETDATE()
FROM (
  SELECT TRIM(file_name) AS location, SUM(bytes_scanned) AS size_bytes, MAX(file_last_modified) AS modified_at,
         MAX(REPLACE(TRIM(file_etag), '"', '')) AS etag, SUM(lines_scanned) AS lines
  FROM sys_load_detail
  WHERE query_id = (SELECT MAX(query_id) FROM sys_load_history
    WHERE session_id = pg_backend_pid() AND table_name = ${quoteLiteral(build.nameOf(table.name))} AND status = 'completed')
  GROUP BY TRIM(file_name)
) f
LEFT JOIN (SELECT source, COUNT(*) AS n FROM ${build.ref('load_errors')} WHERE table_name = ${name} GROUP BY source) e ON e.source = f.location
WHERE f.lines - COALESCE(e.n, 0) > 0`;
}

export function redshiftMonitoring(views: RedshiftSystemViews): RedshiftMonitoring {
  return views === 'serverless' ? SERVERLESS : PROVISIONED;
}

import type { Warehouse } from '../../src/warehouse/connection.js';

/**
 * Stand-ins, on the PostgreSQL test server, for the Redshift system views
 * and functions sparkify's Redshift SQL reads, with the columns and types the
 * Developer Guide gives each (STV_SESSIONS, STL_LOAD_ERRORS,
 * SYS_SESSION_HISTORY, SYS_LOAD_HISTORY, SYS_LOAD_DETAIL, SYS_LOAD_ERROR_DETAIL, SVV_COLUMNS, SVV_TABLE_INFO, GETDATE,
 * PG_LAST_COPY_ID): the SQL runs as written, and a misspelt column or a
 * wrong type fails here. The live sessions are PostgreSQL's own, so a
 * killed session leaves them as it leaves Redshift's.
 */
export const REDSHIFT_STAND_INS = [
  `CREATE VIEW stv_sessions AS
   SELECT backend_start AS starttime, pid AS process, CAST(usename AS CHAR(50)) AS user_name, CAST(datname AS CHAR(50)) AS db_name
   FROM pg_stat_activity WHERE backend_type = 'client backend'`,
  // status is a CHAR: Redshift pads it, as CHAR(10) does here.
  `CREATE VIEW sys_session_history AS
   SELECT CAST(usesysid AS CHAR(50)) AS user_id, pid AS session_id, CAST(datname AS CHAR(50)) AS database_name,
          CAST('active' AS CHAR(10)) AS status, 0 AS session_timeout, backend_start AS start_time, CAST(NULL AS TIMESTAMP) AS end_time
   FROM pg_stat_activity WHERE backend_type = 'client backend'`,
  `CREATE TABLE stl_load_errors (
     userid INTEGER, slice INTEGER, tbl INTEGER, starttime TIMESTAMP, session INTEGER, query INTEGER,
     filename CHAR(256), line_number BIGINT, colname CHAR(127), type CHAR(10), col_length CHAR(10), position INTEGER,
     raw_line CHAR(1024), raw_field_value CHAR(1024), err_code INTEGER, err_reason CHAR(100))`,
  `CREATE TABLE sys_load_history (
     user_id INTEGER, query_id BIGINT, transaction_id BIGINT, session_id INTEGER, database_name TEXT, status TEXT,
     table_name TEXT, start_time TIMESTAMP, end_time TIMESTAMP, duration BIGINT, data_source TEXT, file_format TEXT,
     loaded_rows BIGINT, loaded_bytes BIGINT, source_file_count INTEGER, source_file_bytes BIGINT,
     file_count_scanned INTEGER, file_bytes_scanned BIGINT, error_count BIGINT, copy_job_id BIGINT)`,
  `CREATE TABLE sys_load_detail (
     user_id INTEGER, query_id BIGINT, file_name CHAR(256), bytes_scanned INTEGER, lines_scanned INTEGER, record_time TIMESTAMP,
     splits_scanned INTEGER, start_time TIMESTAMP, end_time TIMESTAMP, file_etag CHAR(256), file_last_modified TIMESTAMP)`,
  `CREATE TABLE sys_load_error_detail (
     user_id INTEGER, query_id BIGINT, transaction_id BIGINT, session_id INTEGER, database_name CHAR(64), table_id INTEGER,
     start_time TIMESTAMP, file_name CHAR(256), line_number BIGINT, column_name CHAR(127), column_type CHAR(10),
     column_length CHAR(10), position INTEGER, error_code INTEGER, error_message CHAR(512))`,
  // The catalog's view of columns, as information_schema.columns (which it mirrors) gives them.
  `CREATE VIEW svv_columns AS
   SELECT CAST(table_catalog AS TEXT) AS table_catalog, CAST(table_schema AS TEXT) AS table_schema, CAST(table_name AS TEXT) AS table_name,
          CAST(column_name AS TEXT) AS column_name, CAST(ordinal_position AS INT) AS ordinal_position, CAST(column_default AS TEXT) AS column_default,
          CAST(is_nullable AS TEXT) AS is_nullable, CAST(data_type AS TEXT) AS data_type, CAST(character_maximum_length AS INT) AS character_maximum_length,
          CAST(numeric_precision AS INT) AS numeric_precision, CAST(numeric_precision_radix AS INT) AS numeric_precision_radix,
          CAST(numeric_scale AS INT) AS numeric_scale, CAST(datetime_precision AS INT) AS datetime_precision, CAST(NULL AS TEXT) AS remarks
   FROM information_schema.columns`,
  // A row per table that holds data, its size in 1 MB blocks: the tests fill it.
  `CREATE TABLE svv_table_info (
     database TEXT, schema TEXT, table_id OID, "table" TEXT, encoded TEXT, diststyle TEXT, sortkey1 TEXT, max_varchar INTEGER,
     sortkey1_enc CHAR(32), sortkey_num INTEGER, size BIGINT, pct_used NUMERIC(10,4), empty BIGINT, unsorted NUMERIC(5,2),
     stats_off NUMERIC(5,2), tbl_rows NUMERIC(38,0), skew_sortkey1 NUMERIC(19,2), skew_rows NUMERIC(19,2),
     estimated_visible_rows NUMERIC(38,0), risk_event TEXT, vacuum_sort_benefit NUMERIC(12,2))`,
  // The start of the current statement, in the session's time zone, UTC by default (the Guide's example shows whole seconds).
  `CREATE FUNCTION getdate() RETURNS TIMESTAMP AS $$SELECT date_trunc('second', statement_timestamp() AT TIME ZONE 'UTC')$$ LANGUAGE sql`,
  // The query id of this session's last COPY: the tests give it 7.
  `CREATE FUNCTION pg_last_copy_id() RETURNS INTEGER AS 'SELECT 7' LANGUAGE sql`,
];

export async function createRedshiftStandIns(wh: Warehouse): Promise<void> {
  for (const sql of REDSHIFT_STAND_INS) await wh.query(sql);
}

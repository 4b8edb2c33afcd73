import type { Engine } from '../engines/engine.js';

/**
 * The statements sparkify sends around an ad-hoc one, the same on
 * PostgreSQL and Redshift (the Redshift Guide: BEGIN … READ ONLY, SET LOCAL,
 * the statement_timeout parameter in milliseconds, DECLARE … CURSOR FOR
 * inside a transaction block, FETCH FORWARD count of at most 1,000 on a
 * single-node cluster); only the catalog of columns differs by engine.
 */

/** The one cursor a session may hold open on Redshift. */
export const CURSOR_NAME = 'sparkify_sql';

/** Rows per FETCH: Redshift's most on a single-node cluster. */
export const FETCH_ROWS = 1000;

export const BEGIN_READ_ONLY_SQL = 'BEGIN READ ONLY';
export const BEGIN_SQL = 'BEGIN';
export const COMMIT_SQL = 'COMMIT';
export const ROLLBACK_SQL = 'ROLLBACK';

/** The timeout for the transaction's statements only (0: none); a value cannot come from outside as text. */
export function localTimeoutSql(timeoutMs: number): string {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) throw new RangeError(`not a timeout in milliseconds: ${timeoutMs}`);
  return `SET LOCAL statement_timeout TO ${timeoutMs}`;
}

/** The same for the session, for a statement that cannot run in a transaction block (VACUUM, with --write); RESET_TIMEOUT_SQL undoes it. */
export function sessionTimeoutSql(timeoutMs: number): string {
  return localTimeoutSql(timeoutMs).replace(' LOCAL', '');
}

export const RESET_TIMEOUT_SQL = 'RESET statement_timeout';

/** What is sent before a query's own text, so that its rows come a batch at a time. */
export const DECLARE_CURSOR_PREFIX = `DECLARE ${CURSOR_NAME} CURSOR FOR\n`;
export const FETCH_SQL = `FETCH FORWARD ${FETCH_ROWS} FROM ${CURSOR_NAME}`;
export const CLOSE_CURSOR_SQL = `CLOSE ${CURSOR_NAME}`;

/**
 * The schema unqualified names resolve to, asked alone: on Redshift
 * current_schema() runs on the leader node only, and fails in a query that
 * reads an SVV view such as the catalog's.
 */
export const CURRENT_SCHEMA_SQL = 'SELECT current_schema() AS schema_name';

/** Every statement of the ad-hoc path, as the engine sends them (for the Redshift checks and the reserved-word test). */
export function adhocStatements(engine: Engine, timeoutMs: number): string[] {
  return [
    BEGIN_READ_ONLY_SQL,
    BEGIN_SQL,
    localTimeoutSql(timeoutMs),
    sessionTimeoutSql(timeoutMs),
    RESET_TIMEOUT_SQL,
    FETCH_SQL,
    CLOSE_CURSOR_SQL,
    COMMIT_SQL,
    ROLLBACK_SQL,
    CURRENT_SCHEMA_SQL,
    engine.columnsCatalogSql,
  ];
}

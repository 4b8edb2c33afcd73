import type pg from 'pg';
import type { ResultColumn } from '../queries/run-query.js';
import type { Warehouse } from '../warehouse/connection.js';
import { CancelledError } from '../warehouse/errors.js';
import { NUMERIC_TYPE_IDS } from '../warehouse/pg-types.js';
import {
  BEGIN_READ_ONLY_SQL,
  BEGIN_SQL,
  COMMIT_SQL,
  DECLARE_CURSOR_PREFIX,
  FETCH_ROWS,
  FETCH_SQL,
  CLOSE_CURSOR_SQL,
  localTimeoutSql,
  RESET_TIMEOUT_SQL,
  ROLLBACK_SQL,
  sessionTimeoutSql,
} from './adhoc-sql.js';
import { isQuery, isTransactionControl } from './statement-kind.js';
import { SqlError } from './sql-error.js';
import { describeStatementError, SentStatementError } from './statement-error.js';
import type { ScriptStatement } from './split-statements.js';
import { DEFAULT_TIMEOUT_MS } from './timeout.js';
import { adhocTypes } from './value-types.js';

export interface StatementOptions {
  /** Let the statement write. Without it the statement runs in a READ ONLY transaction, and a write fails (SqlError `read-only`). */
  write?: boolean;
  /** How long the server lets the statement run, in milliseconds (0: no limit); with a cursor, each fetch of rows. Default 5 minutes. */
  timeoutMs?: number;
  /** Cancels the statement on the server (rejects with CancelledError). */
  signal?: AbortSignal;
}

/** Where a statement's rows go, as they come. */
export interface ResultSink {
  /** The statement returns rows: these columns, before any row. */
  columns(columns: ResultColumn[]): void | Promise<void>;
  /** The next rows, in order; awaited before more are fetched. `false` stops the statement: no more rows are wanted. */
  rows(batch: unknown[][]): boolean | void | Promise<boolean | void>;
}

export interface StatementOutcome {
  statement: ScriptStatement;
  /** The server's command tag, as psql prints it: `INSERT 0 3`, `CREATE TABLE`; `SELECT n` for the n rows of a query. */
  tag: string;
  /** The columns of the rows it returned (a SELECT, SHOW, … RETURNING), or null when it returns none. */
  columns: ResultColumn[] | null;
  /** How many rows went to the sink. */
  rows: number;
  /** The sink stopped it (returned false) before its last row. */
  stopped: boolean;
  ms: number;
}

/**
 * Runs one ad-hoc statement. By default in a READ ONLY transaction of its
 * own, with `SET LOCAL statement_timeout`; with `write`, in a transaction
 * that commits when it ends, except that a script's own BEGIN, COMMIT and
 * the statements between them are left to that transaction, and one that
 * cannot run in a transaction block (VACUUM) runs outside one. A query's
 * rows come through a cursor, FETCH_ROWS at a time, each batch awaited by
 * the sink: memory stays flat however many rows it returns.
 *
 * Fails with SqlError (the server's message placed in the script, a write
 * refused, a timeout), CancelledError when the signal fires, or the
 * session's ConnectionError.
 */
export async function runStatement(wh: Warehouse, statement: ScriptStatement, sink: ResultSink, options: StatementOptions = {}): Promise<StatementOutcome> {
  const write = options.write ?? false;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  const send = (sql: string, sentBefore: string | null = null) => sendOne(wh, sql, sentBefore, options.signal);
  const status = (await wh.readyClient()).getTransactionStatus();
  // A transaction the script opened with writes allowed (T, or E once failed) is the script's to end.
  const open = status === 'T' || status === 'E';
  const control = isTransactionControl(statement.text);
  if (open && !write && !control) {
    throw new SqlError('read-only', 'a transaction opened with writes allowed is still open: end it with COMMIT or ROLLBACK first', statement, null);
  }
  const own = !open && !(write && control);
  const begin = async () => {
    if (own) await send(write ? BEGIN_SQL : BEGIN_READ_ONLY_SQL);
    await send(localTimeoutSql(timeoutMs));
  };
  const run = async (): Promise<Omit<StatementOutcome, 'statement' | 'ms'>> => {
    if (own || status === 'T') {
      await begin();
      if (isQuery(statement.text)) {
        try {
          return await viaCursor(send, statement, sink, { closeAfter: !own, signal: options.signal });
        } catch (error) {
          // A query no cursor takes (a WITH that writes, SELECT … INTO) runs whole, in a transaction begun again.
          if (!own || !cursorRefused(error)) throw error;
          await send(ROLLBACK_SQL);
          await begin();
        }
      }
    }
    return whole(send, statement, sink);
  };
  try {
    try {
      const outcome = await run();
      if (own) await send(COMMIT_SQL);
      return { statement, ...outcome, ms: Math.round(performance.now() - started) };
    } catch (error) {
      if (own) await rollback(wh);
      if (!own || !write || !(error instanceof SentStatementError) || !error.byStatement || !mustRunOutsideTransaction(error.error)) throw error;
    }
    // VACUUM and the like with --write: outside any transaction block, with the timeout set for the session meanwhile.
    await send(sessionTimeoutSql(timeoutMs));
    try {
      return { statement, ...(await whole(send, statement, sink)), ms: Math.round(performance.now() - started) };
    } finally {
      await send(RESET_TIMEOUT_SQL).catch(() => {});
    }
  } catch (error) {
    throw describeStatementError(error, statement, { readOnly: !write, timeoutMs, signal: options.signal });
  }
}

/** The session is in a transaction a statement with writes allowed began (BEGIN, with --write or the app's writes on), failed or not. */
export async function transactionOpen(wh: Warehouse): Promise<boolean> {
  const status = (await wh.readyClient()).getTransactionStatus();
  return status === 'T' || status === 'E';
}

type Send = (sql: string, sentBefore?: string | null) => Promise<Tagged>;

interface Tagged {
  result: pg.QueryResult<unknown[]>;
  /** The command tag as the server sent it (pg keeps only its first word). */
  tag: string;
}

/**
 * One statement, on the extended protocol: the server takes exactly one
 * statement from it (a `;` the splitter missed fails, and smuggles nothing
 * past the read-only transaction). `sentBefore`: what was sent before the
 * script's own text (the cursor's DECLARE), or null for sparkify's own
 * statements; it marks the errors the statement's text caused.
 */
async function sendOne(wh: Warehouse, sql: string, sentBefore: string | null, signal: AbortSignal | undefined): Promise<Tagged> {
  const started = performance.now();
  try {
    return await wh.cancellable(signal, async (client) => {
      const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
      let tag = '';
      const onComplete = (message: { text?: string }) => void (tag = message.text ?? tag);
      connection.on('commandComplete', onComplete);
      try {
        const config = { text: sql, rowMode: 'array', types: adhocTypes, queryMode: 'extended' } as pg.QueryArrayConfig;
        const result = await client.query<unknown[]>(config);
        return { result, tag: tag || result.command };
      } finally {
        connection.off('commandComplete', onComplete);
      }
    });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    throw new SentStatementError(error, sentBefore, Math.round(performance.now() - started));
  }
}

function columnsOf(result: pg.QueryResult<unknown[]>): ResultColumn[] {
  return result.fields.map((f) => ({ name: f.name, numeric: NUMERIC_TYPE_IDS.has(f.dataTypeID) }));
}

/** A query's rows through a cursor, a batch at a time; in a script's own transaction the cursor is closed after. */
async function viaCursor(send: Send, statement: ScriptStatement, sink: ResultSink, options: { closeAfter: boolean; signal?: AbortSignal }) {
  await send(DECLARE_CURSOR_PREFIX + statement.text, DECLARE_CURSOR_PREFIX);
  let columns: ResultColumn[] | null = null;
  let rows = 0;
  let stopped = false;
  for (;;) {
    const { result } = await send(FETCH_SQL);
    if (!columns) {
      columns = columnsOf(result);
      await sink.columns(columns);
    }
    if (result.rows.length > 0) {
      rows += result.rows.length;
      stopped = (await sink.rows(result.rows)) === false;
    }
    if (stopped || result.rows.length < FETCH_ROWS) break;
    // A signal that fired while the sink waited (the output was slow) stops here, between two fetches.
    if (options.signal?.aborted) throw new CancelledError();
  }
  if (options.closeAfter) await send(CLOSE_CURSOR_SQL);
  return { tag: `SELECT ${rows}`, columns, rows, stopped };
}

/** Any other statement, sent as written; the rows it returns, if any, go to the sink in batches. */
async function whole(send: Send, statement: ScriptStatement, sink: ResultSink) {
  const { result, tag } = await send(statement.text, '');
  if (result.fields.length === 0) return { tag, columns: null, rows: 0, stopped: false };
  const columns = columnsOf(result);
  await sink.columns(columns);
  let rows = 0;
  let stopped = false;
  for (let at = 0; at < result.rows.length && !stopped; at += FETCH_ROWS) {
    const batch = result.rows.slice(at, at + FETCH_ROWS);
    rows += batch.length;
    stopped = (await sink.rows(batch)) === false;
  }
  return { tag, columns, rows, stopped };
}

/** Ends the statement's own transaction after a failure; a session ended meanwhile (a cancel that had to) has none to end. */
async function rollback(wh: Warehouse): Promise<void> {
  await wh.query(ROLLBACK_SQL).catch(() => {});
}

/** The DECLARE refused the query, which ran nothing: 0A000, a WITH that writes; 42601, SELECT … INTO. */
function cursorRefused(error: unknown): boolean {
  if (!(error instanceof SentStatementError) || error.sentBefore !== DECLARE_CURSOR_PREFIX) return false;
  const { code, message } = error.error as { code?: unknown; message?: string };
  return code === '0A000' || (code === '42601' && /INTO is not allowed here/.test(message ?? ''));
}

/** 25001: cannot run inside a transaction block (VACUUM); 2D000: a procedure's COMMIT inside one. */
function mustRunOutsideTransaction(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '25001' || code === '2D000';
}

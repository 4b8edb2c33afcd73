import { EXIT, SparkifyError } from '../sparkify-error.js';
import { ConnectionError } from '../warehouse/errors.js';
import { scriptPositionOf } from './script-position.js';
import type { ScriptStatement } from './split-statements.js';
import { SqlError, type SqlErrorKind } from './sql-error.js';
import { formatTimeout } from './timeout.js';

/**
 * A statement sent for an ad-hoc one failed: the error, what was sent
 * before the statement's own text (null: one of sparkify's own), and how
 * long it ran. Within runStatement only: describeStatementError makes it
 * the error the caller sees.
 */
export class SentStatementError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'SentStatementError';
  constructor(
    readonly error: unknown,
    readonly sentBefore: string | null,
    readonly ms: number,
  ) {
    super((error as Error | null)?.message ?? String(error));
  }

  /** The statement's own text caused it (its server position points into that text). */
  get byStatement(): boolean {
    return this.sentBefore !== null;
  }
}

interface ServerError {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: string;
}

const isServerError = (error: unknown): error is ServerError =>
  error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { severity?: unknown }).severity === 'string';

const READ_ONLY_SQL_TRANSACTION = '25006';
const ACTIVE_SQL_TRANSACTION = '25001';
const QUERY_CANCELED = '57014';

export interface ErrorContext {
  readOnly: boolean;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/**
 * The error a failed ad-hoc statement ends with: the server's, as a
 * SqlError placed in the script; a cancel, or a session that could not be
 * replaced, as it came.
 */
export function describeStatementError(error: unknown, statement: ScriptStatement, context: ErrorContext): unknown {
  if (!(error instanceof SentStatementError)) return error;
  const cause = error.error;
  if (!isServerError(cause)) {
    if (cause instanceof Error && /^Connection terminated/.test(cause.message))
      return new ConnectionError(`the connection to the warehouse was lost: ${cause.message}`);
    return cause;
  }
  const at = error.sentBefore !== null && cause.position ? scriptPositionOf(statement, Number(cause.position), error.sentBefore) : null;
  const kind = kindOf(cause, error.ms, context);
  const problem = kind === 'timeout' ? `ran past its timeout of ${formatTimeout(context.timeoutMs)} and was cancelled by the server` : oneLine(cause);
  return new SqlError(kind, problem, statement, at, cause.code);
}

function kindOf(error: ServerError, ms: number, context: ErrorContext): SqlErrorKind {
  if (error.code === READ_ONLY_SQL_TRANSACTION) return 'read-only';
  // VACUUM and the like cannot run in the read-only transaction, but do with --write, outside one.
  if (error.code === ACTIVE_SQL_TRANSACTION && context.readOnly) return 'read-only';
  // PostgreSQL says "statement timeout"; Redshift's words are a cancel's ("cancelled on user's request"), so its time tells.
  if (error.code === QUERY_CANCELED && !context.signal?.aborted && context.timeoutMs > 0) {
    if (/statement timeout/i.test(error.message) || ms >= context.timeoutMs) return 'timeout';
  }
  return 'server';
}

/** The server's message with its detail and hint in parentheses, on one line. */
function oneLine(error: ServerError): string {
  const parts = [error.message, error.detail ? `(${error.detail})` : '', error.hint ? `(${error.hint})` : ''];
  return parts
    .filter(Boolean)
    .join(' ')
    .replace(/\s*\n\s*/g, ' ');
}

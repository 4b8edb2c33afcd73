import { EXIT, SparkifyError } from '../sparkify-error.js';
import type { ScriptPosition } from './script-position.js';
import type { ScriptStatement } from './split-statements.js';

/**
 * What made a statement fail: the server refused or failed it (`server`),
 * it would have written in a read-only transaction (`read-only`), or it ran
 * past its timeout and the server cancelled it (`timeout`).
 */
export type SqlErrorKind = 'server' | 'read-only' | 'timeout';

/**
 * An ad-hoc statement failed: one line, placed in its script
 * (`line 3, column 8: …`, or `the statement at line 3, column 1: …`). `at`
 * is where the server says the fault is (its error position), for a caret,
 * or null when it gives none, and then the line names the statement's start.
 */
export class SqlError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'SqlError';

  constructor(
    readonly kind: SqlErrorKind,
    /** The server's message, with its detail and hint, on one line (or ours, for a timeout). */
    readonly problem: string,
    readonly statement: ScriptStatement,
    readonly at: ScriptPosition | null,
    /** The server's SQLSTATE, when it sent one. */
    readonly code: string | null = null,
  ) {
    super(`${placeOf(statement, at)}: ${problem}`);
  }
}

function placeOf(statement: ScriptStatement, at: ScriptPosition | null): string {
  return at ? `line ${at.line}, column ${at.column}` : `the statement at line ${statement.line}, column ${statement.column}`;
}

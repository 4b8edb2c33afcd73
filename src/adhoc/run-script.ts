import type { Warehouse } from '../warehouse/connection.js';
import { collectStatement, type CollectedStatement } from './collect-rows.js';
import { transactionOpen, type StatementOptions } from './run-statement.js';
import { splitStatements, type ScriptStatement } from './split-statements.js';
import { SqlError } from './sql-error.js';
import { isTransactionControl } from './statement-kind.js';

export interface ScriptRunOptions extends Pick<StatementOptions, 'timeoutMs' | 'signal'> {
  /**
   * Writes are switched on. Each statement still runs read-only first: one
   * the read-only transaction refuses, or one that begins or ends a
   * transaction, is put to `confirmWrite`, and runs with writes when it
   * answers yes; so do the statements after it in the script, and those in
   * a transaction such a statement left open. Off: a write fails with
   * SqlError `read-only`.
   */
  writes: boolean;
  confirmWrite: (statement: ScriptStatement) => Promise<boolean>;
  /** The rows kept of a statement (see collectStatement). */
  maxRows?: number;
  /** Each statement as it starts: its place in the script and how many there are. */
  onStatement?: (statement: ScriptStatement, index: number, count: number) => void;
}

/** Why a script stopped before its end: a statement failed or was cancelled (`error`), or its write was not confirmed. */
export type ScriptStop = { kind: 'error'; error: unknown; statement: ScriptStatement } | { kind: 'declined'; statement: ScriptStatement };

export interface ScriptRun {
  /** The statements of the script. */
  count: number;
  /** The command tag of each statement that ran, in order (`SELECT 2`, `INSERT 0 1`). */
  tags: string[];
  /** The last statement that ran, with its rows if it returned any. */
  last: CollectedStatement | null;
  stop: ScriptStop | null;
  /** A statement ran with writes allowed (the catalog may have changed). */
  wrote: boolean;
}

/**
 * Runs every statement of a script (an editor's text) in order, as
 * `sparkify sql` does, stopping at the first that fails; only the last
 * statement's rows are kept. Errors end up in `stop`, never thrown.
 */
export async function runScript(wh: Warehouse, script: string, options: ScriptRunOptions): Promise<ScriptRun> {
  const statements = splitStatements(script, { backslashEscapes: wh.engine.backslashEscapesInStrings });
  const run: ScriptRun = { count: statements.length, tags: [], last: null, stop: null, wrote: false };
  const { writes, signal, timeoutMs, maxRows } = options;
  let confirmed = false;
  const collect = (statement: ScriptStatement, write: boolean) => collectStatement(wh, statement, { write, signal, timeoutMs, maxRows });
  for (const [index, statement] of statements.entries()) {
    options.onStatement?.(statement, index, statements.length);
    const confirm = async () => {
      if (!(await options.confirmWrite(statement))) return false;
      confirmed = true;
      return true;
    };
    try {
      let write = writes && (confirmed || (await transactionOpen(wh)));
      if (writes && !write && isTransactionControl(statement.text)) {
        if (!(await confirm())) return { ...run, stop: { kind: 'declined', statement } };
        write = true;
      }
      let outcome: CollectedStatement;
      try {
        outcome = await collect(statement, write);
      } catch (error) {
        if (!writes || write || !(error instanceof SqlError) || error.kind !== 'read-only') throw error;
        if (!(await confirm())) return { ...run, stop: { kind: 'declined', statement } };
        write = true;
        outcome = await collect(statement, true);
      }
      run.tags.push(outcome.tag);
      run.last = outcome;
      run.wrote ||= write;
    } catch (error) {
      return { ...run, stop: { kind: 'error', error, statement } };
    }
  }
  return run;
}

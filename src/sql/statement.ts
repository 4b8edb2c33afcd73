/**
 * One statement of a run: what `--dry-run` prints and what the run sends.
 * A run is planned once (see src/etl/run-plan.ts); the dry run prints that plan and
 * the run executes it, so the two cannot differ.
 */
export interface Statement {
  sql: string;
  /** Printed above it as a comment: where a COPY's rows come from, what a bind parameter holds. */
  note?: string;
  /** The run sends it only then (it decides at run time); the dry run says so above it. */
  onlyIf?: string;
  /** Sent on a second connection, outside the run's transaction. */
  secondConnection?: boolean;
}

export function statement(sql: string, more: Omit<Statement, 'sql'> = {}): Statement {
  return { sql, ...more };
}

/** A statement as the dry run prints it: its comments, then its SQL. */
export function printStatement(s: Statement): string {
  const comments = [
    s.secondConnection ? '-- on a second connection, outside the transaction' : null,
    s.onlyIf ? `-- only if ${s.onlyIf}` : null,
    ...(s.note ? s.note.split('\n').map((line) => `-- ${line}`) : []),
  ];
  return [...comments.filter((c) => c !== null), s.sql].join('\n');
}

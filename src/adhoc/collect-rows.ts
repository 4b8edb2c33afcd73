import type { QueryResult, ResultColumn } from '../queries/run-query.js';
import type { Warehouse } from '../warehouse/connection.js';
import { runStatement, type ResultSink, type StatementOptions, type StatementOutcome } from './run-statement.js';
import type { ScriptStatement } from './split-statements.js';

/** The most rows a result kept in memory holds (a table on screen, the table format): more are left on the server. */
export const MAX_COLLECTED_ROWS = 10_000;

/** A sink that keeps the first `maxRows` rows, and stops the statement at the first row past them. */
export class RowCollector implements ResultSink {
  columnList: ResultColumn[] | null = null;
  readonly kept: unknown[][] = [];
  /** The statement had more rows than were kept. */
  more = false;

  constructor(private readonly maxRows = MAX_COLLECTED_ROWS) {}

  columns(columns: ResultColumn[]): void {
    this.columnList = columns;
  }

  rows(batch: unknown[][]): boolean {
    const room = this.maxRows - this.kept.length;
    for (const row of batch.length > room ? batch.slice(0, room) : batch) this.kept.push(row);
    this.more = batch.length > room;
    return !this.more;
  }
}

export interface CollectedStatement extends StatementOutcome {
  /** Its rows as the result table shows them (ms: the statement's time), or null for a statement that returns none. */
  result: QueryResult | null;
  /** It returned more rows than `maxRows`: only the first ones are in `result`. */
  more: boolean;
}

/** Runs a statement (see runStatement) and keeps its first `maxRows` rows: what a screen shows. */
export async function collectStatement(
  wh: Warehouse,
  statement: ScriptStatement,
  options: StatementOptions & { maxRows?: number } = {},
): Promise<CollectedStatement> {
  const collector = new RowCollector(options.maxRows);
  const outcome = await runStatement(wh, statement, collector, options);
  const result = collector.columnList ? { columns: collector.columnList, rows: collector.kept, ms: outcome.ms } : null;
  return { ...outcome, result, more: collector.more };
}

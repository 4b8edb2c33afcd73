import type { RowCollector } from '../adhoc/collect-rows.js';
import type { StatementOutcome } from '../adhoc/run-statement.js';
import { formatNumber } from '../format/numbers.js';
import { renderTable } from '../format/result-formats.js';

/**
 * A statement's result in the table format: its rows as a table and how
 * many, as psql shows them, or its tag (`INSERT 0 3`) when it returns none.
 * Past the collector's rows the statement was stopped, and the line says so.
 */
export function collectedTable(outcome: StatementOutcome, collector: RowCollector): string {
  const columns = collector.columnList;
  if (!outcome.columns || !columns || columns.length === 0) return outcome.tag;
  const table = renderTable({ columns, rows: collector.kept, ms: outcome.ms });
  const count = collector.kept.length;
  if (collector.more) return `${table}\n(the first ${formatNumber(count)} rows; it has more: --format csv or json gives them all)`;
  return `${table}\n(${formatNumber(count)} ${count === 1 ? 'row' : 'rows'})`;
}

import type { RunSummary, StageOutcome } from '../etl/events.js';
import { formatBytes, formatDuration, formatNumber } from './numbers.js';

/** `6,820 rows, 3.6 MB in 0.12s`, `21 checks passed in 0.01s`, `cancelled after 1.20s`. */
export function stageDetail(outcome: StageOutcome): string {
  if (outcome.status === 'skipped') return 'skipped';
  if (outcome.status !== 'done') return `${outcome.status} after ${formatDuration(outcome.ms)}`;
  const one = outcome.rows === 1;
  const unit = outcome.unit === 'checks' ? (one ? 'check passed' : 'checks passed') : one ? 'row' : 'rows';
  const bytes = outcome.bytes ? `, ${formatBytes(outcome.bytes)}` : '';
  const rejected = outcome.rejected ? `, ${formatNumber(outcome.rejected)} rejected (in load_errors)` : '';
  const removed = outcome.removed ? `, ${formatNumber(outcome.removed)} removed` : '';
  return `${formatNumber(outcome.rows)} ${unit}${bytes}${rejected}${removed} in ${formatDuration(outcome.ms)}`;
}

export function summaryLine(summary: RunSummary): string {
  const done = summary.stages.filter((s) => s.status === 'done').length;
  const total = summary.stages.length;
  const time = formatDuration(summary.ms);
  if (summary.status === 'passed' && summary.changes && total === 0) return `Nothing new, nothing changed, in ${time}: PASS`;
  if (summary.status === 'passed') return `Completed ${done} of ${total} stages in ${time}: PASS`;
  const at = summary.stages.find((s) => s.status === 'failed' || s.status === 'cancelled');
  const where = at ? ` at ${at.stage}` : '';
  const verb = summary.status === 'cancelled' ? 'Cancelled' : 'Failed';
  return `${verb}${where} after ${time}: rolled back, the warehouse is as it was before the run`;
}

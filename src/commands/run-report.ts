import type { EtlEvent, RunSummary, StageOutcome } from '../etl/events.js';
import { formatBytes, formatDuration, formatNumber } from '../format/numbers.js';

const LABEL = { done: 'OK', failed: 'FAIL', skipped: 'SKIP', cancelled: 'CANCEL' } as const;
const LINE_WIDTH = 48;

/** `3 of 8 OK songplays ............. 6,820 rows in 0.12s`, in the manner of dbt's run output. */
export function stageLine(index: number, total: number, outcome: StageOutcome): string {
  const head = `${index} of ${total} ${LABEL[outcome.status]} ${outcome.stage} `;
  const dots = '.'.repeat(Math.max(3, LINE_WIDTH - head.length));
  return `${head}${dots} ${stageDetail(outcome)}`;
}

function stageDetail(outcome: StageOutcome): string {
  if (outcome.status === 'skipped') return 'skipped';
  if (outcome.status !== 'done') return `${outcome.status} after ${formatDuration(outcome.ms)}`;
  const unit = outcome.unit === 'checks' ? 'checks passed' : 'rows';
  const bytes = outcome.bytes ? `, ${formatBytes(outcome.bytes)}` : '';
  return `${formatNumber(outcome.rows)} ${unit}${bytes} in ${formatDuration(outcome.ms)}`;
}

export function summaryLine(summary: RunSummary): string {
  const done = summary.stages.filter((s) => s.status === 'done').length;
  const total = summary.stages.length;
  const time = formatDuration(summary.ms);
  if (summary.status === 'passed') return `Completed ${done} of ${total} stages in ${time}: PASS`;
  const at = summary.stages.find((s) => s.status === 'failed' || s.status === 'cancelled');
  const where = at ? ` at ${at.stage}` : '';
  const verb = summary.status === 'cancelled' ? 'Cancelled' : 'Failed';
  return `${verb}${where} after ${time}: rolled back, the warehouse is as it was before the run`;
}

/**
 * Prints a run's events as lines on stderr. On a terminal the running stage
 * also shows a live line (rows so far), overwritten when it ends.
 */
export function createRunReporter(stderr: NodeJS.WritableStream & { isTTY?: boolean }): (event: EtlEvent) => void {
  const live = stderr.isTTY === true;
  let liveShown = false;
  const clearLive = () => {
    if (liveShown) stderr.write('\r\x1b[K');
    liveShown = false;
  };
  return (event) => {
    switch (event.type) {
      case 'reset-end':
        stderr.write(`Reset: dropped and created ${event.tables} tables in ${formatDuration(event.ms)}\n`);
        break;
      case 'stage-start':
        if (live) {
          stderr.write(`\r\x1b[K${event.index} of ${event.total} RUN ${event.stage} ...`);
          liveShown = true;
        }
        break;
      case 'stage-progress':
        if (live) {
          const files = event.files ? ` (${event.filesDone} of ${event.files} files)` : '';
          stderr.write(`\r\x1b[K   ${event.stage}: ${formatNumber(event.rows)} rows, ${formatBytes(event.bytes)}${files}`);
          liveShown = true;
        }
        break;
      case 'stage-end':
        clearLive();
        stderr.write(`${stageLine(event.index, event.total, event)}\n`);
        if (event.error) stderr.write(`  error: ${event.error}\n`);
        break;
      case 'run-end':
        clearLive();
        if (event.summary.error) stderr.write(`error: ${event.summary.error}\n`);
        stderr.write(`${summaryLine(event.summary)}\n`);
        break;
    }
  };
}

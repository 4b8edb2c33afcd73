import type { EtlEvent, StageOutcome } from '../etl/events.js';
import { formatBytes, formatDuration, formatNumber } from '../format/numbers.js';
import { fileChangesLine, starTablesLine } from '../format/file-changes.js';
import { stageDetail, summaryLine } from '../format/run-summary.js';

const LABEL = { done: 'OK', failed: 'FAIL', skipped: 'SKIP', cancelled: 'CANCEL' } as const;
const LINE_WIDTH = 48;

/** `3 of 8 OK songplays ............. 6,820 rows in 0.12s`, in the manner of dbt's run output. */
export function stageLine(index: number, total: number, outcome: StageOutcome): string {
  const head = `${index} of ${total} ${LABEL[outcome.status]} ${outcome.stage} `;
  const dots = '.'.repeat(Math.max(3, LINE_WIDTH - head.length));
  return `${head}${dots} ${stageDetail(outcome)}`;
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
      case 'changes-found':
        for (const c of event.changes) stderr.write(`${fileChangesLine(c)}\n`);
        stderr.write(`${starTablesLine(event.starTables)}\n`);
        break;
      case 'reset-end':
        clearLive();
        stderr.write(`Reset: created ${event.tables} new tables beside the live ones in ${formatDuration(event.ms)}\n`);
        break;
      case 'keys-end':
        clearLive();
        stderr.write(`Keys: built the primary keys, foreign keys and indexes in ${formatDuration(event.ms)}\n`);
        break;
      case 'swap-end':
        clearLive();
        stderr.write(
          `Swap: ${event.tables === 1 ? '1 new table replaced the live one' : `${event.tables} new tables replaced the live ones`} in ${formatDuration(event.ms)}\n`,
        );
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
        // A cancelled stage's note: its session had to be ended.
        if (event.error) stderr.write(`  ${event.status === 'cancelled' ? 'note' : 'error'}: ${event.error}\n`);
        break;
      case 'run-end':
        clearLive();
        if (event.summary.error) stderr.write(`${event.summary.status === 'cancelled' ? 'note' : 'error'}: ${event.summary.error}\n`);
        stderr.write(`${summaryLine(event.summary)}\n`);
        break;
      case 'run-start':
      case 'keys-start':
      case 'swap-start':
        // Said by the lines at their ends.
        break;
    }
  };
}

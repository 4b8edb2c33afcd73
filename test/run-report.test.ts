import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRunReporter } from '../src/commands/run-report.js';
import { stageDetail } from '../src/format/run-summary.js';

function reporterOn(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let written = '';
  stream.on('data', (d: Buffer) => (written += d.toString()));
  return { report: createRunReporter(stream), written: () => written };
}

describe('the run report', () => {
  it('on a terminal, clears the live line before the Keys and Swap lines', () => {
    const { report, written } = reporterOn(true);
    report({ type: 'stage-start', stage: 'checks', index: 8, total: 8 });
    report({ type: 'keys-end', ms: 50 });
    report({ type: 'stage-end', stage: 'checks', index: 8, total: 8, status: 'done', rows: 21, unit: 'checks', ms: 10 });
    report({ type: 'swap-end', tables: 8, ms: 10 });
    expect(written()).toBe(
      '\r\x1b[K8 of 8 RUN checks ...' +
        '\r\x1b[KKeys: built the primary keys, foreign keys and indexes in 0.05s\n' +
        '8 of 8 OK checks ............................... 21 checks passed in 0.01s\n' +
        'Swap: 8 new tables replaced the live ones in 0.01s\n',
    );
  });

  it('elsewhere, writes whole lines only', () => {
    const { report, written } = reporterOn(false);
    report({ type: 'reset-end', tables: 8, ms: 20 });
    report({ type: 'stage-start', stage: 'users', index: 1, total: 1 });
    report({ type: 'stage-end', stage: 'users', index: 1, total: 1, status: 'done', rows: 3, ms: 10 });
    report({ type: 'swap-end', tables: 1, ms: 0 });
    expect(written()).toBe(
      'Reset: created 8 new tables beside the live ones in 0.02s\n' +
        '1 of 1 OK users ................................ 3 rows in 0.01s\n' +
        'Swap: 1 new table replaced the live one in 0.00s\n',
    );
  });
});

describe('a stage line', () => {
  it('counts one row, or one check, in the singular', () => {
    const line = (rows: number, unit?: 'checks') => stageDetail({ stage: unit ? 'checks' : 'users', status: 'done', rows, ms: 20, ...(unit ? { unit } : {}) });
    expect([line(1), line(2), line(1, 'checks'), line(21, 'checks'), line(0)]).toEqual([
      '1 row in 0.02s',
      '2 rows in 0.02s',
      '1 check passed in 0.02s',
      '21 checks passed in 0.02s',
      '0 rows in 0.02s',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { renderCsv, renderTable, valueText } from '../src/format/result-formats.js';
import type { QueryResult } from '../src/queries/run-query.js';

describe('result values as text', () => {
  it('writes json and arrays as JSON, bytea as \\x hex and dates in ISO 8601, not as [object Object]', () => {
    expect(valueText({ level: 'paid', n: 2 })).toBe('{"level":"paid","n":2}');
    expect(valueText([1, 'a', null])).toBe('[1,"a",null]');
    expect(valueText(Buffer.from([0, 0xab, 0x10]))).toBe('\\x00ab10');
    expect(valueText(new Date(Date.UTC(2018, 10, 2, 9, 30)))).toBe('2018-11-02T09:30:00.000Z');
    expect(valueText(12345678901234567890n)).toBe('12345678901234567890');
    expect(valueText(true)).toBe('true');
    expect(valueText('free')).toBe('free');
  });

  it('in CSV (quoted where they hold a comma or a quote) and in a table', () => {
    const result: QueryResult = {
      columns: [
        { name: 'attrs', numeric: false },
        { name: 'plays', numeric: true },
      ],
      rows: [
        [{ a: 1, b: 'x' }, 1234567],
        [null, null],
      ],
      ms: 1,
    };
    expect(renderCsv(result)).toBe('attrs,plays\r\n"{""a"":1,""b"":""x""}",1234567\r\n,\r\n');
    expect(renderTable(result).split('\n')).toEqual([
      '┌─────────────────┬───────────┐',
      '│ attrs           │     plays │',
      '├─────────────────┼───────────┤',
      '│ {"a":1,"b":"x"} │ 1,234,567 │',
      '│ NULL            │      NULL │',
      '└─────────────────┴───────────┘',
    ]);
  });
});

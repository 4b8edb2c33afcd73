import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { columnOffset, pageOffset, ResultView } from '../src/components/ResultView.js';
import type { CannedQuery } from '../src/queries/catalog.js';
import type { QueryResult } from '../src/queries/run-query.js';

const query: CannedQuery = { name: 'listening', title: 'Listening', description: 'test', sql: 'SELECT 1', chart: { label: 'user', value: 'plays' } };
const big: QueryResult = {
  columns: [
    { name: 'user', numeric: false },
    { name: 'plays', numeric: true },
    { name: 'note', numeric: false },
  ],
  rows: Array.from({ length: 10_000 }, (_, i) => [`user ${i + 1}`, (i + 1) * 1000, i % 2 === 0 ? null : 'x'.repeat(60)]),
  ms: 12,
};

describe('a result on screen', () => {
  it('draws only the visible rows, numbers right-aligned with separators, NULL dim, long cells cut', () => {
    const app = render(<ResultView result={big} offset={9_990} height={5} width={100} />);
    const frame = app.lastFrame()!;
    expect(frame).toContain('\u001b[2mNULL\u001b[22m');
    const lines = stripVTControlCharacters(frame).split('\n');
    expect(lines).toHaveLength(3 + 5 + 1 + 1);
    expect(lines[3]).toBe(`│ user 9991  │  9,991,000 │ ${'NULL'.padEnd(40)} │`);
    expect(lines[4]).toBe(`│ user 9992  │  9,992,000 │ ${'x'.repeat(39)}… │`);
    expect(lines.at(-1)).toBe('rows 9,991–9,995 of 10,000 · 0.01s');
    expect(frame).not.toContain('user 9990 ');
    app.unmount();
  });

  it('draws a bar chart beside a distribution when the screen is wide enough', () => {
    const small: QueryResult = {
      columns: big.columns.slice(0, 2),
      rows: [
        ['a', 10],
        ['b', 5],
      ],
      ms: 1,
    };
    const app = render(<ResultView chart={query.chart} result={small} offset={0} height={10} width={100} />);
    const lines = stripVTControlCharacters(app.lastFrame()!).split('\n');
    expect(lines[3]).toMatch(/│ a +│ +10 │ +a █{38} 10$/);
    expect(lines[4]).toMatch(/│ b +│ +5 │ +b █{19} {21}5$/);
    app.unmount();
  });

  it('draws the columns that fit across from the first one asked for, with the types under the names', () => {
    const wide: QueryResult = {
      columns: ['alpha', 'beta', 'gamma', 'delta'].map((name, i) => ({ name, numeric: i === 1, type: i === 1 ? 'integer' : 'text' })),
      rows: [['a'.repeat(12), 7, 'g', 'd']],
      ms: 1,
    };
    const draw = (firstColumn: number) => {
      const app = render(<ResultView result={wide} offset={0} firstColumn={firstColumn} height={5} width={40} />);
      const lines = stripVTControlCharacters(app.lastFrame()!).split('\n');
      app.unmount();
      return lines;
    };
    expect(draw(0)).toEqual([
      '┌──────────────┬─────────┬───────┐',
      '│ alpha        │    beta │ gamma │',
      '│ text         │ integer │ text  │',
      '├──────────────┼─────────┼───────┤',
      '│ aaaaaaaaaaaa │       7 │ g     │',
      '└──────────────┴─────────┴───────┘',
      'rows 1–1 of 1 · columns 1–3 of 4 (←→) · 0.00s',
    ]);
    expect(draw(2)).toEqual([
      '┌───────┬───────┐',
      '│ gamma │ delta │',
      '│ text  │ text  │',
      '├───────┼───────┤',
      '│ g     │ d     │',
      '└───────┴───────┘',
      'rows 1–1 of 1 · columns 3–4 of 4 (←→) · 0.00s',
    ]);
    expect([columnOffset(0, -1, 4), columnOffset(2, 1, 4), columnOffset(3, 1, 4)]).toEqual([0, 3, 3]);
  });

  it('keeps the offset within the result when paging', () => {
    expect(pageOffset(0, 'up', 100, 10)).toBe(0);
    expect(pageOffset(0, 'down', 100, 10)).toBe(1);
    expect(pageOffset(5, 'pageDown', 100, 10)).toBe(15);
    expect(pageOffset(85, 'pageDown', 100, 10)).toBe(90);
    expect(pageOffset(50, 'bottom', 100, 10)).toBe(90);
    expect(pageOffset(50, 'top', 100, 10)).toBe(0);
    expect(pageOffset(3, 'pageUp', 100, 10)).toBe(0);
    expect(pageOffset(0, 'bottom', 5, 10)).toBe(0);
  });
});

import { Box, Text, type Key } from 'ink';
import { useMemo } from 'react';
import { formatDuration, formatNumber } from '../format/numbers.js';
import { columnWidths, renderTable } from '../format/result-formats.js';
import type { QueryResult } from '../queries/run-query.js';
import { BarChart } from './BarChart.js';

const NULL_DIM = '\u001b[2mNULL\u001b[22m';
const MAX_CELL = 40;
const CHART_WIDTH = 44;

export interface ResultViewProps {
  result: QueryResult;
  /** For distributions: the label and value columns of a bar chart drawn beside the table where it fits. */
  chart?: { label: string; value: string } | undefined;
  /** The first row on screen; see pageOffset(). */
  offset: number;
  /** The first column on screen, for results wider than the screen; see columnOffset(). */
  firstColumn?: number;
  /** Rows of the table that fit on screen. */
  height: number;
  width: number;
}

export type PageMove = 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom';

/** What a key does to a result on screen, as every screen that shows one takes it: rows, pages, its ends, its columns; null for another key. */
export function resultMove(input: string, key: Key): { page: PageMove } | { scroll: -1 | 1 } | null {
  if (input === 'j' || key.downArrow) return { page: 'down' };
  if (input === 'k' || key.upArrow) return { page: 'up' };
  if (key.pageDown || input === ' ') return { page: 'pageDown' };
  if (key.pageUp) return { page: 'pageUp' };
  if (input === 'g' || key.home) return { page: 'top' };
  if (input === 'G' || key.end) return { page: 'bottom' };
  if (input === 'h' || key.leftArrow) return { scroll: -1 };
  if (input === 'l' || key.rightArrow) return { scroll: 1 };
  return null;
}

/** The offset after a paging key, kept within the result. */
export function pageOffset(offset: number, move: PageMove, total: number, height: number): number {
  const pageSize = Math.max(1, height);
  const last = Math.max(0, total - pageSize);
  const next = { down: offset + 1, up: offset - 1, pageDown: offset + pageSize, pageUp: offset - pageSize, top: 0, bottom: last }[move];
  return Math.max(0, Math.min(last, next));
}

/** The first column after ← or →, kept within the result's columns. */
export function columnOffset(first: number, by: -1 | 1, columns: number): number {
  return Math.max(0, Math.min(columns - 1, first + by));
}

/** The columns from `first` on that fit in `width` (borders included), at least one. */
function fittingColumns(widths: readonly number[], first: number, width: number): number {
  let used = 1;
  let end = first;
  while (end < widths.length && (end === first || used + widths[end]! + 1 <= width)) used += widths[end++]! + 1;
  return end;
}

/**
 * A query result as a cli-table3 table, paged: only the visible rows are
 * drawn, so a long result scrolls as fast as a short one; only the columns
 * that fit across are drawn, from `firstColumn` on.
 */
export function ResultView({ result, chart, offset, firstColumn = 0, height, width }: ResultViewProps) {
  const pageSize = Math.max(1, height);
  const total = result.rows.length;
  const colWidths = useMemo(() => columnWidths(result, { maxCellWidth: MAX_CELL }), [result]);
  const first = Math.max(0, Math.min(firstColumn, result.columns.length - 1));
  const endColumn = fittingColumns(colWidths, first, width);
  const allColumns = first === 0 && endColumn === result.columns.length;
  const tableWidth = colWidths.reduce((a, b) => a + b, 0) + colWidths.length + 1;
  const chartFits = chart !== undefined && allColumns && width >= tableWidth + CHART_WIDTH + 2;

  const end = Math.min(total, offset + pageSize);
  const table = renderTable(result, { from: offset, to: end, colWidths, fromColumn: first, toColumn: endColumn, maxCellWidth: MAX_CELL, nullText: NULL_DIM });
  const bars = useMemo(() => {
    if (!chart) return [];
    const label = result.columns.findIndex((c) => c.name === chart.label);
    const value = result.columns.findIndex((c) => c.name === chart.value);
    return result.rows.map((row) => ({ label: String(row[label]), value: Number(row[value]) }));
  }, [chart, result]);
  const rows = total === 0 ? 'no rows' : `rows ${formatNumber(offset + 1)}–${formatNumber(end)} of ${formatNumber(total)}`;
  const columns = allColumns ? '' : ` · columns ${first + 1}–${endColumn} of ${result.columns.length} (←→)`;

  return (
    <Box flexDirection="column">
      <Box gap={2}>
        <Box flexDirection="column">
          <Text>{table}</Text>
        </Box>
        {chartFits ? (
          <Box flexDirection="column" marginTop={3}>
            <BarChart bars={bars.slice(offset, end)} width={CHART_WIDTH} />
          </Box>
        ) : null}
      </Box>
      <Text dimColor>
        {rows}
        {columns} · {formatDuration(result.ms)}
      </Text>
    </Box>
  );
}

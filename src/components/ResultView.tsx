import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { formatDuration, formatNumber } from '../format/numbers.js';
import { columnWidths, renderTable } from '../format/result-formats.js';
import type { CannedQuery } from '../queries/catalog.js';
import type { QueryResult } from '../queries/run-query.js';
import { BarChart } from './BarChart.js';

const NULL_DIM = '\u001b[2mNULL\u001b[22m';
const MAX_CELL = 40;
const CHART_WIDTH = 44;

export interface ResultViewProps {
  query: CannedQuery;
  result: QueryResult;
  /** The first row on screen; see pageOffset(). */
  offset: number;
  /** Rows of the table that fit on screen. */
  height: number;
  width: number;
}

export type PageMove = 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom';

/** The offset after a paging key, kept within the result. */
export function pageOffset(offset: number, move: PageMove, total: number, height: number): number {
  const pageSize = Math.max(1, height);
  const last = Math.max(0, total - pageSize);
  const next = { down: offset + 1, up: offset - 1, pageDown: offset + pageSize, pageUp: offset - pageSize, top: 0, bottom: last }[move];
  return Math.max(0, Math.min(last, next));
}

/**
 * A query result as a cli-table3 table, paged: only the visible rows are
 * drawn, so a long result scrolls as fast as a short one.
 */
export function ResultView({ query, result, offset, height, width }: ResultViewProps) {
  const pageSize = Math.max(1, height);
  const total = result.rows.length;
  const colWidths = useMemo(() => columnWidths(result, { maxCellWidth: MAX_CELL }), [result]);
  const tableWidth = colWidths.reduce((a, b) => a + b, 0) + colWidths.length + 1;
  const chartFits = query.chart !== undefined && width >= tableWidth + CHART_WIDTH + 2;

  const end = Math.min(total, offset + pageSize);
  const table = renderTable(result, { from: offset, to: end, colWidths, maxCellWidth: MAX_CELL, nullText: NULL_DIM });
  const bars = useMemo(() => {
    if (!query.chart) return [];
    const label = result.columns.findIndex((c) => c.name === query.chart!.label);
    const value = result.columns.findIndex((c) => c.name === query.chart!.value);
    return result.rows.map((row) => ({ label: String(row[label]), value: Number(row[value]) }));
  }, [query, result]);

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
        {total === 0 ? 'no rows' : `rows ${formatNumber(offset + 1)}–${formatNumber(end)} of ${formatNumber(total)}`} · {formatDuration(result.ms)}
      </Text>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { formatNumber } from '../format/numbers.js';
import { TABLES, type Table } from '../sql/schema.js';
import type { TableCounts } from '../warehouse/table-counts.js';
import type { LoadSummary } from '../etl/load-summary.js';
import { lastIncrementalLine, loadedLine } from '../format/load-summary.js';

/** `user_id integer PK`: a column as the screen lists it. */
function describeColumn(table: Table, name: string, type: string): string {
  const key = table.primaryKey === name ? ' PK' : table.foreignKeys?.some((fk) => fk.column === name) ? ' FK' : '';
  return `${name} ${type}${key}`;
}

function columnList(table: Table): string {
  const fileId = table.fileIdColumn ? [`${table.fileIdColumn} integer`] : [];
  return [...table.columns.map((c) => describeColumn(table, c.name, c.type)), ...fileId].join(', ');
}

/** The lines the full layout takes: each table's name, then its columns wrapped at the width (less the indent). */
function fullHeight(width: number): number {
  return TABLES.reduce((lines, table) => lines + 1 + Math.ceil(columnList(table).length / Math.max(1, width - 2)), 0);
}

function Heading({ table, n }: { table: Table; n: number | null | undefined }) {
  return (
    <>
      <Text bold>{table.name}</Text> <Text dimColor>{table.role}</Text>{' '}
      <Text color={n === null ? 'yellow' : 'cyan'}>{n === undefined ? '' : n === null ? 'missing' : `${formatNumber(n)} rows`}</Text>
    </>
  );
}

/**
 * Every table with its columns (from the one schema description) and row
 * counts. Where the columns wrapped would not fit the screen (80×24), each
 * table takes one line, its columns cut at the edge.
 */
export function SchemaScreen({ counts, loads, height, width }: { counts: TableCounts | null; loads: LoadSummary | null; height: number; width: number }) {
  const loadsLines = loads ? 2 : 0;
  const compact = fullHeight(width) + loadsLines > height;
  return (
    <Box flexDirection="column">
      {TABLES.map((table) => {
        const n = counts?.[table.name];
        if (compact) {
          return (
            <Text key={table.name} wrap="truncate-end">
              <Heading table={table} n={n} /> <Text dimColor>{columnList(table)}</Text>
            </Text>
          );
        }
        return (
          <Box key={table.name} flexDirection="column" flexShrink={0}>
            <Text>
              <Heading table={table} n={n} />
            </Text>
            <Box marginLeft={2}>
              <Text dimColor>{columnList(table)}</Text>
            </Box>
          </Box>
        );
      })}
      {loads && (
        <Box marginTop={1}>
          <Text wrap="wrap">
            <Text dimColor>files loaded</Text> {loadedLine(loads)} <Text dimColor>· last incremental</Text> {lastIncrementalLine(loads)}
          </Text>
        </Box>
      )}
    </Box>
  );
}

import { Box, Text } from 'ink';
import { useState } from 'react';
import { columnOffset, pageOffset, resultMove, type PageMove } from '../components/ResultView.js';
import { EXPORT_PROMPT_LINES } from '../components/ExportPrompt.js';
import { PREVIEW_CHROME_LINES, TablePreviewView } from '../components/TablePreviewView.js';
import { formatNumber } from '../format/numbers.js';
import { useExport } from '../hooks/use-export.js';
import { useKeys } from '../hooks/use-keys.js';
import type { PreviewState } from '../hooks/use-preview.js';
import { useSelection } from '../hooks/use-selection.js';
import { TABLES, type Table, type TableName } from '../sql/schema.js';
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

const COLUMNS_INDENT = 4;

/** The lines the full layout takes: each table's name, then its columns wrapped at the width (less the indent). */
function fullHeight(width: number): number {
  return TABLES.reduce((lines, table) => lines + 1 + Math.ceil(columnList(table).length / Math.max(1, width - COLUMNS_INDENT)), 0);
}

function Heading({ table, n, selected }: { table: Table; n: number | null | undefined; selected: boolean }) {
  return (
    <>
      <Text color={selected ? 'cyan' : undefined}>{selected ? '▸ ' : '  '}</Text>
      <Text bold color={selected ? 'cyan' : undefined}>
        {table.name}
      </Text>{' '}
      <Text dimColor>{table.role}</Text>{' '}
      <Text color={n === null ? 'yellow' : 'cyan'}>{n === undefined ? '' : n === null ? 'missing' : `${formatNumber(n)} rows`}</Text>
    </>
  );
}

export interface SchemaScreenProps {
  counts: TableCounts | null;
  loads: LoadSummary | null;
  height: number;
  width: number;
  isActive: boolean;
  preview: PreviewState;
  /** Enter on a table: its first rows, types, row count and size. */
  onPreview: (table: TableName) => void;
  onBack: () => void;
  /** One line for the app's notice (where an export went). */
  onNotice: (message: string) => void;
  /** While a file name is typed, keys are text, not commands. */
  onTyping: (typing: boolean) => void;
}

/**
 * Every table with its columns (from the one schema description) and row
 * counts; ↑↓ select one and Enter previews it. Where the columns wrapped
 * would not fit the screen (80×24), each table takes one line, its columns
 * cut at the edge.
 */
export function SchemaScreen({ counts, loads, height, width, isActive, preview, onPreview, onBack, onNotice, onTyping }: SchemaScreenProps) {
  const { selected, move, current } = useSelection(TABLES.length);
  const [offset, setOffset] = useState(0);
  const [firstColumn, setFirstColumn] = useState(0);
  const exporter = useExport({ onExported: onNotice, onTyping });
  const tableHeight = Math.max(1, height - PREVIEW_CHROME_LINES - (exporter.prompt ? EXPORT_PROMPT_LINES : 0));

  const open = (table: TableName) => {
    setOffset(0);
    setFirstColumn(0);
    onPreview(table);
  };
  const page = (to: PageMove) => {
    if (preview.status === 'done') setOffset((o) => pageOffset(o, to, preview.preview.result.rows.length, tableHeight));
  };
  const scroll = (by: -1 | 1) => {
    if (preview.status === 'done') setFirstColumn((c) => columnOffset(c, by, preview.preview.result.columns.length));
  };
  useKeys((input, key) => {
    const moved = resultMove(input, key);
    if (exporter.handleKey(input, key)) return;
    if (preview.status === 'idle') {
      if (input === 'j' || key.downArrow) move(1);
      else if (input === 'k' || key.upArrow) move(-1);
      else if (key.return) open(TABLES[current()]!.name);
    } else if (key.escape || key.backspace || key.delete) onBack();
    else if (moved && 'page' in moved) page(moved.page);
    else if (moved) scroll(moved.scroll);
    else if (input === 'e' && preview.status === 'done') exporter.open(preview.preview.result, `${preview.table}.csv`);
  }, isActive);

  if (preview.status !== 'idle') {
    return <TablePreviewView state={preview} offset={offset} firstColumn={firstColumn} height={tableHeight} width={width} exporting={exporter.prompt} />;
  }
  const loadsLines = loads ? 2 : 0;
  const compact = fullHeight(width) + loadsLines > height;
  return (
    <Box flexDirection="column">
      {TABLES.map((table, i) => {
        const n = counts?.[table.name];
        if (compact) {
          return (
            <Text key={table.name} wrap="truncate-end">
              <Heading table={table} n={n} selected={i === selected} /> <Text dimColor>{columnList(table)}</Text>
            </Text>
          );
        }
        return (
          <Box key={table.name} flexDirection="column" flexShrink={0}>
            <Text>
              <Heading table={table} n={n} selected={i === selected} />
            </Text>
            <Box marginLeft={COLUMNS_INDENT}>
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

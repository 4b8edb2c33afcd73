import Table from 'cli-table3';
import type { QueryResult, ResultColumn } from '../queries/run-query.js';
import { formatNumber } from './numbers.js';

export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

const NULL_TEXT = 'NULL';

export interface TableOptions {
  /** Cells longer than this are cut with an ellipsis. */
  maxCellWidth?: number;
  /** How NULL is drawn (the TUI dims it). */
  nullText?: string;
}

/** A value that is not NULL as text: json and arrays as JSON, bytea as `\x…` hex, a date in ISO 8601; never "[object Object]". */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return `${value as number | bigint | boolean}`;
}

function cellText(value: unknown, numeric: boolean, options: TableOptions): string {
  if (value === null || value === undefined) return options.nullText ?? NULL_TEXT;
  const text = numeric && (typeof value === 'number' || typeof value === 'bigint') ? formatNumber(value) : valueText(value);
  const max = options.maxCellWidth ?? 60;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface TableSlice {
  /** Rows [from, to) only: the TUI draws just what is on screen. */
  from?: number;
  to?: number;
  /** Column widths (padding included) of every column, fixed so that pages of a result line up. */
  colWidths?: number[];
  /** Columns [fromColumn, toColumn) only: the TUI draws the ones that fit across. */
  fromColumn?: number;
  toColumn?: number;
}

/** A column's head: its name, and its type under it where the result has one. */
const headOf = (column: ResultColumn) => (column.type ? `${column.name}\n${column.type}` : column.name);

/** The widths that fit every cell of the result (cut to maxCellWidth) and the head. */
export function columnWidths(result: QueryResult, options: TableOptions = {}): number[] {
  return result.columns.map((column, i) => {
    let width = Math.max(column.name.length, column.type?.length ?? 0);
    for (const row of result.rows) width = Math.max(width, cellText(row[i], column.numeric, { ...options, nullText: NULL_TEXT }).length);
    return width + 2;
  });
}

/** A cli-table3 table: numbers right-aligned with thousands separators. */
export function renderTable(result: QueryResult, options: TableOptions & TableSlice = {}): string {
  const first = options.fromColumn ?? 0;
  const end = options.toColumn ?? result.columns.length;
  const columns = result.columns.slice(first, end);
  const table = new Table({
    head: columns.map(headOf),
    colAligns: columns.map((c) => (c.numeric ? 'right' : 'left')),
    ...(options.colWidths ? { colWidths: options.colWidths.slice(first, end) } : {}),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const rows = result.rows.slice(options.from ?? 0, options.to ?? result.rows.length);
  for (const row of rows) table.push(columns.map((c, i) => cellText(row[first + i], c.numeric, options)));
  const lines = table.toString().split('\n');
  // cli-table3 rules off the head with the same characters as every row, so rows
  // are drawn without rules and the head's rule is put back from the top border.
  const headLines = columns.some((c) => c.type) ? 2 : 1;
  lines.splice(1 + headLines, 0, lines[0]!.replace('┌', '├').replaceAll('┬', '┼').replace('┐', '┤'));
  return lines.join('\n');
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = valueText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, ended by CRLF. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** RFC 4180 CSV with a header row; NULL is an empty field. */
export function renderCsv(result: QueryResult): string {
  return csvLine(result.columns.map((c) => c.name)) + result.rows.map(csvLine).join('');
}

/** An array of objects, one per row, keyed by column name. */
export function renderJson(result: QueryResult): string {
  const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

export function renderResult(result: QueryResult, format: OutputFormat): string {
  if (format === 'csv') return renderCsv(result);
  if (format === 'json') return renderJson(result);
  return `${renderTable(result)}\n`;
}

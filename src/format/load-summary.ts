import type { LoadSummary } from '../etl/load-summary.js';
import { formatNumber } from './numbers.js';

const plural = (n: number, one: string) => `${formatNumber(n)} ${one}${n === 1 ? '' : 's'}`;

/** `101 files, 8,127 rows` over every staging table. */
export function loadedLine(summary: LoadSummary): string {
  const files = summary.tables.reduce((n, t) => n + t.files, 0);
  const rows = summary.tables.reduce((n, t) => n + t.rows, 0);
  return `${plural(files, 'file')}, ${plural(rows, 'row')}`;
}

/** The last incremental run that loaded files: `2026-11-30 01:02:03 UTC: 2 files, 308 rows`, or that none has. */
export function lastIncrementalLine(summary: LoadSummary): string {
  const last = summary.lastIncremental;
  if (!last) return 'none has loaded files yet (etl --incremental, or i in the app)';
  return `${last.at.slice(0, 19)} UTC: ${plural(last.files, 'file')}, ${plural(last.rows, 'row')}`;
}

import type { FileChanges } from '../etl/events.js';
import { formatNumber } from './numbers.js';

const files = (n: number) => `${formatNumber(n)} file${n === 1 ? '' : 's'}`;

/** `staging_events: 1 new file, 1 changed, 29 unchanged; 2 missing (rows kept: --prune removes them)`. */
export function fileChangesLine(c: FileChanges): string {
  const missing =
    c.missing === 0 ? '' : `; ${files(c.missing)} missing from the source (${c.pruned ? 'their rows removed' : 'rows kept: --prune removes them'})`;
  return `${c.table}: ${formatNumber(c.added)} new ${c.added === 1 ? 'file' : 'files'}, ${formatNumber(c.changed)} changed, ${formatNumber(c.unchanged)} unchanged${missing}`;
}

/** What the star tables get: appended to, rebuilt from staging, or nothing. */
export function starTablesLine(starTables: 'append' | 'rebuild' | 'none'): string {
  switch (starTables) {
    case 'append':
      return 'Star tables: the new events appended (users, time, songplays)';
    case 'rebuild':
      return 'Star tables: rebuilt from staging (as song files came or changed, or files were replaced or pruned)';
    case 'none':
      return '0 new files: nothing to load, the warehouse is unchanged';
  }
}

import { ident } from '../sql/render-ddl.js';
import type { Warehouse } from '../warehouse/connection.js';

export interface Check {
  name: string;
  /** Counts the rows that break the rule; 0 passes. */
  sql: string;
  describe(count: number): string;
}

const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

const nonEmpty = (table: string): Check => ({
  name: `${table} is not empty`,
  sql: `SELECT CASE WHEN EXISTS (SELECT 1 FROM ${ident(table)}) THEN 0 ELSE 1 END AS n`,
  describe: () => `${table} is empty`,
});

const noNullKey = (table: string, key: string): Check => ({
  name: `${table}.${key} has no NULL`,
  sql: `SELECT COUNT(*) AS n FROM ${ident(table)} WHERE ${ident(key)} IS NULL`,
  describe: (n) => `${rows(n)} of ${table} have a NULL ${key}`,
});

const uniqueKey = (table: string, key: string): Check => ({
  name: `${table}.${key} is unique`,
  sql: `SELECT COALESCE(SUM(c - 1), 0) AS n FROM (SELECT COUNT(*) AS c FROM ${ident(table)} GROUP BY ${ident(key)} HAVING COUNT(*) > 1) d`,
  describe: (n) => `${rows(n)} of ${table} repeat a ${key}`,
});

const references = (column: string, table: string, key: string): Check => ({
  name: `songplays.${column} is in ${table}`,
  sql: `SELECT COUNT(*) AS n FROM songplays sp WHERE sp.${ident(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ident(table)} x WHERE x.${ident(key)} = sp.${ident(column)})`,
  describe: (n) => `${rows(n)} of songplays have a ${column} missing from ${table}`,
});

const KEYS: [string, string][] = [
  ['songplays', 'songplay_id'],
  ['users', 'user_id'],
  ['songs', 'song_id'],
  ['artists', 'artist_id'],
  ['time', 'start_time'],
];

export const CHECKS: readonly Check[] = [
  ...KEYS.map(([table]) => nonEmpty(table)),
  ...KEYS.map(([table, key]) => noNullKey(table, key)),
  noNullKey('songplays', 'start_time'),
  noNullKey('songplays', 'user_id'),
  ...KEYS.map(([table, key]) => uniqueKey(table, key)),
  references('user_id', 'users', 'user_id'),
  references('start_time', 'time', 'start_time'),
  references('song_id', 'songs', 'song_id'),
  references('artist_id', 'artists', 'artist_id'),
];

export interface CheckFailure {
  check: string;
  rows: number;
  message: string;
}

export class ChecksFailedError extends Error {
  override name = 'ChecksFailedError';
  constructor(readonly failures: CheckFailure[]) {
    super(`${failures.length} check${failures.length === 1 ? '' : 's'} failed: ${failures.map((f) => f.message).join('; ')}`);
  }
}

/** Runs every check; throws ChecksFailedError naming each failed one and its row count. */
export async function runChecks(wh: Warehouse, signal?: AbortSignal): Promise<number> {
  const failures: CheckFailure[] = [];
  for (const check of CHECKS) {
    const { rows: result } = await wh.query<{ n: number }>(check.sql, [], signal);
    const n = Number(result[0]!.n);
    if (n > 0) failures.push({ check: check.name, rows: n, message: check.describe(n) });
  }
  if (failures.length > 0) throw new ChecksFailedError(failures);
  return CHECKS.length;
}

import { ident } from '../sql/identifiers.js';
import { TableBuild } from '../sql/table-build.js';
import { tableNamed, type TableName } from '../sql/schema.js';
import { statement, type Statement } from '../sql/statement.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { DialectName } from '../warehouse/dialect.js';
import type { StagePlan } from './stage.js';
import { EXIT, SparkifyError } from '../sparkify-error.js';

export interface Check {
  name: string;
  /** Counts the rows that break the rule; 0 passes. */
  sql: string;
  describe(count: number): string;
  /**
   * The PostgreSQL constraint that enforces the rule, if the schema declares
   * one: where it is in place, the check need not scan the table again.
   * Redshift enforces none. As named by constraintsInPlace().
   */
  enforcedBy: string | null;
}

const rows = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

/** The checks of a run, on the tables as `build` names them in it. */
export function checksFor(build: TableBuild): Check[] {
  const ref = (table: TableName) => build.ref(table);
  const named = (table: TableName) => build.nameOf(table);

  const nonEmpty = (table: TableName): Check => ({
    name: `${table} is not empty`,
    sql: `SELECT CASE WHEN EXISTS (SELECT 1 FROM ${ref(table)}) THEN 0 ELSE 1 END AS n`,
    describe: () => `${table} is empty`,
    enforcedBy: null,
  });

  const noNullKey = (table: TableName, key: string): Check => {
    const { primaryKey, columns } = tableNamed(table);
    return {
      name: `${table}.${key} has no NULL`,
      sql: `SELECT COUNT(*) AS n FROM ${ref(table)} WHERE ${ident(key)} IS NULL`,
      describe: (n) => `${rows(n)} of ${table} have a NULL ${key}`,
      enforcedBy: primaryKey === key || columns.some((c) => c.name === key && c.notNull === true) ? `not null ${named(table)}.${key}` : null,
    };
  };

  const uniqueKey = (table: TableName, key: string): Check => ({
    name: `${table}.${key} is unique`,
    sql: `SELECT COALESCE(SUM(c - 1), 0) AS n FROM (SELECT COUNT(*) AS c FROM ${ref(table)} GROUP BY ${ident(key)} HAVING COUNT(*) > 1) d`,
    describe: (n) => `${rows(n)} of ${table} repeat a ${key}`,
    enforcedBy: tableNamed(table).primaryKey === key ? `primary key ${named(table)}.${key}` : null,
  });

  const references = (column: string, table: TableName, key: string): Check => ({
    name: `songplays.${column} is in ${table}`,
    sql: `SELECT COUNT(*) AS n FROM ${ref('songplays')} sp WHERE sp.${ident(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref(table)} x WHERE x.${ident(key)} = sp.${ident(column)})`,
    describe: (n) => `${rows(n)} of songplays have a ${column} missing from ${table}`,
    enforcedBy: (tableNamed('songplays').foreignKeys ?? []).some((fk) => fk.column === column && fk.table === table && fk.references === key)
      ? `foreign key ${named('songplays')}.${column} ${named(table)}.${key}`
      : null,
  });

  return [
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
}

const KEYS: [TableName, string][] = [
  ['songplays', 'songplay_id'],
  ['users', 'user_id'],
  ['songs', 'song_id'],
  ['artists', 'artist_id'],
  ['time', 'start_time'],
];

/** The checks on the live tables. */
export const CHECKS: readonly Check[] = checksFor(TableBuild.NONE);

export interface CheckFailure {
  check: string;
  rows: number;
  message: string;
}

export class ChecksFailedError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'ChecksFailedError';
  constructor(readonly failures: CheckFailure[]) {
    super(`${failures.length} check${failures.length === 1 ? '' : 's'} failed: ${failures.map((f) => f.message).join('; ')}`);
  }
}

/** The checks stage: on PostgreSQL, the query of the constraints in place first, then each check it does not make needless. */
export interface ChecksPlan extends StagePlan {
  constraints: Statement | null;
  checks: { check: Check; statement: Statement }[];
}

export function planChecks(dialect: DialectName, build: TableBuild): ChecksPlan {
  const constraints = dialect === 'postgres' ? statement(CONSTRAINTS_IN_PLACE_SQL) : null;
  const checks = checksFor(build).map((check) => ({
    check,
    statement: statement(check.sql, constraints && check.enforcedBy ? { onlyIf: `no validated constraint proves it already (${check.enforcedBy})` } : {}),
  }));
  return { constraints, checks, statements: [...(constraints ? [constraints] : []), ...checks.map((c) => c.statement)] };
}

/**
 * Runs the planned checks, but for those a constraint in place enforces;
 * throws ChecksFailedError naming each failed one and its row count.
 * Returns how many rules hold.
 */
export async function runChecks(wh: Warehouse, plan: ChecksPlan, signal?: AbortSignal): Promise<number> {
  const enforced = plan.constraints ? await constraintsInPlace(wh, signal) : new Set<string>();
  const failures: CheckFailure[] = [];
  for (const { check, statement: sent } of plan.checks) {
    if (check.enforcedBy && enforced.has(check.enforcedBy)) continue;
    const { rows: result } = await wh.query<{ n: number }>(sent.sql, [], signal);
    const n = Number(result[0]!.n);
    if (n > 0) failures.push({ check: check.name, rows: n, message: check.describe(n) });
  }
  if (failures.length > 0) throw new ChecksFailedError(failures);
  return plan.checks.length;
}

/** The validated primary keys, foreign keys and NOT NULL columns of the star tables, named as Check.enforcedBy names them. */
export async function constraintsInPlace(wh: Warehouse, signal?: AbortSignal): Promise<Set<string>> {
  const { rows: found } = await wh.query<{ name: string }>(CONSTRAINTS_IN_PLACE_SQL, [], signal);
  return new Set(found.map((r) => r.name));
}

const CONSTRAINTS_IN_PLACE_SQL = `SELECT CASE c.contype WHEN 'p' THEN 'primary key ' ELSE 'foreign key ' END
            || t.relname || '.' || a.attname
            || CASE c.contype WHEN 'f' THEN ' ' || rt.relname || '.' || ra.attname ELSE '' END AS name
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       LEFT JOIN pg_class rt ON rt.oid = c.confrelid
       LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
      WHERE c.contype IN ('p', 'f') AND c.convalidated AND cardinality(c.conkey) = 1
        AND t.relnamespace = current_schema()::regnamespace
     UNION ALL
     SELECT 'not null ' || t.relname || '.' || a.attname
       FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
      WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped
        AND t.relnamespace = current_schema()::regnamespace`;

import { ident } from '../sql/identifiers.js';
import { TableBuild } from '../sql/table-build.js';
import { STAR_TABLES, tableNamed, type ForeignKey, type Table, type TableName } from '../sql/schema.js';
import { statement, type Statement } from '../sql/statement.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { Engine } from '../engines/engine.js';
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

  // Every foreign key is declared, so a check is proven by the constraint in place where there is one.
  const references = (from: Table, { column, table, references: key }: ForeignKey): Check => ({
    name: `${from.name}.${column} is in ${table}`,
    sql: `SELECT COUNT(*) AS n FROM ${ref(from.name)} sp WHERE sp.${ident(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ref(table)} x WHERE x.${ident(key)} = sp.${ident(column)})`,
    describe: (n) => `${rows(n)} of ${from.name} have a ${column} missing from ${table}`,
    enforcedBy: `foreign key ${named(from.name)}.${column} ${named(table)}.${key}`,
  });

  // Derived from the schema: each star table is not empty, its key has no NULL and repeats no
  // value, its other NOT NULL columns have no NULL, and each foreign key finds its row.
  const keyed = STAR_TABLES.filter((t): t is Table & { primaryKey: string } => t.primaryKey !== undefined);
  return [
    ...STAR_TABLES.map((t) => nonEmpty(t.name)),
    ...keyed.map((t) => noNullKey(t.name, t.primaryKey)),
    ...STAR_TABLES.flatMap((t) => t.columns.filter((c) => c.notNull && c.name !== t.primaryKey).map((c) => noNullKey(t.name, c.name))),
    ...keyed.map((t) => uniqueKey(t.name, t.primaryKey)),
    ...STAR_TABLES.flatMap((t) => (t.foreignKeys ?? []).map((fk) => references(t, fk))),
  ];
}

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

export function planChecks(engine: Engine, build: TableBuild): ChecksPlan {
  const constraints = engine.constraintsInPlaceSql === null ? null : statement(engine.constraintsInPlaceSql);
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
  const enforced = plan.constraints ? await constraintsInPlace(wh, plan.constraints.sql, signal) : new Set<string>();
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
export async function constraintsInPlace(wh: Warehouse, sql = wh.engine.constraintsInPlaceSql ?? '', signal?: AbortSignal): Promise<Set<string>> {
  if (sql === '') return new Set();
  const { rows: found } = await wh.query<{ name: string }>(sql, [], signal);
  return new Set(found.map((r) => r.name));
}

import type { DialectName } from '../warehouse/dialect.js';
import { ident } from './identifiers.js';
import { TABLES, type Column, type ForeignKey, type Table } from './schema.js';
import { TableBuild } from './table-build.js';


function columnType(column: Column, dialect: DialectName): string {
  switch (column.type) {
    case 'text':
      return dialect === 'redshift' ? `VARCHAR(${column.length ?? 256})` : 'TEXT';
    case 'double':
      return 'DOUBLE PRECISION';
    default:
      return column.type.toUpperCase();
  }
}

function columnLine(table: Table, column: Column, dialect: DialectName): string {
  const parts = [ident(column.name), columnType(column, dialect)];
  if (table.identity === column.name) {
    parts.push(dialect === 'redshift' ? 'IDENTITY(0,1)' : 'GENERATED ALWAYS AS IDENTITY');
  }
  if (column.notNull || table.primaryKey === column.name) {
    // PostgreSQL 18 names NOT NULL constraints, after the table they were made on: name them
    // after the live table, so a new table keeps no trace of its build name once swapped in.
    parts.push(dialect === 'postgres' ? `CONSTRAINT ${table.name}_${column.name}_not_null NOT NULL` : 'NOT NULL');
  }
  return parts.join(' ');
}

/** The star tables: the ones with keys. */
export const STAR_TABLES: readonly Table[] = TABLES.filter((t) => t.role === 'fact' || t.role === 'dimension');

/** A foreign key's name: the same under the build name, as PostgreSQL names constraints per table. */
export function foreignKeyName(table: Table, fk: ForeignKey): string {
  return `${table.name}_${fk.column}_fkey`;
}

export function foreignKeyClause(fk: ForeignKey, references: string, name?: string): string {
  return `${name ? `CONSTRAINT ${name} ` : ''}FOREIGN KEY (${ident(fk.column)}) REFERENCES ${references} (${ident(fk.references)})`;
}

/** PostgreSQL: the primary key's index, and so its constraint, is named after the table it is built under. */
export function primaryKeyName(table: Table, build: TableBuild): string {
  return `${build.nameOf(table.name)}_pkey`;
}

export function indexName(table: Table, column: string, build: TableBuild): string {
  return `${build.nameOf(table.name)}_${column}_idx`;
}

/**
 * CREATE TABLE under the table's name in `build`. PostgreSQL tables are
 * created bare: their keys and indexes are built once the rows are in
 * (keysSql), several times faster than growing them row by row. Redshift
 * declares its keys inline (it enforces none); the primary key is left
 * unnamed, so that the server names it apart from the live table's.
 */
export function createTableSql(table: Table, dialect: DialectName, build = TableBuild.NONE, ifNotExists = false): string {
  const lines = table.columns.map((c) => columnLine(table, c, dialect));
  if (dialect === 'redshift') {
    if (table.primaryKey) lines.push(`PRIMARY KEY (${ident(table.primaryKey)})`);
    for (const fk of table.foreignKeys ?? []) lines.push(foreignKeyClause(fk, build.ref(fk.table), foreignKeyName(table, fk)));
  }
  const unlogged = dialect === 'postgres' && table.role === 'staging' ? 'UNLOGGED ' : '';
  let sql = `CREATE ${unlogged}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${build.ref(table.name)} (\n  ${lines.join(',\n  ')}\n)`;
  if (dialect === 'redshift') {
    const dist = table.distribution;
    sql += dist.style === 'key' ? `\nDISTSTYLE KEY DISTKEY (${ident(dist.column)})` : `\nDISTSTYLE ${dist.style.toUpperCase()}`;
    if (table.sortKey) sql += `\nSORTKEY (${ident(table.sortKey)})`;
  }
  return sql;
}

/**
 * PostgreSQL: ANALYZE of a staging table samples 300 rows per unit of the
 * columns' statistics target. The transforms need row counts and rough
 * distinct counts to choose hash joins, which 3,000 rows give as well as the
 * default 30,000 (the same plans at 10k to 1M events), and the ANALYZE takes
 * 40 ms instead of 100 at 100k events.
 */
const STAGING_STATISTICS_TARGET = 10;

function statisticsTargetSql(table: Table, dialect: DialectName, build: TableBuild): string[] {
  if (dialect !== 'postgres' || !table.statistics) return [];
  const columns = table.statistics.map((c) => `ALTER COLUMN ${ident(c)} SET STATISTICS ${STAGING_STATISTICS_TARGET}`);
  return [`ALTER TABLE ${build.ref(table.name)} ${columns.join(', ')}`];
}

/** Creates every table the run rebuilds, under its build name. */
export function createBuildTablesSql(dialect: DialectName, build: TableBuild): string[] {
  return build.tables.flatMap((t) => [createTableSql(t, dialect, build), ...statisticsTargetSql(t, dialect, build)]);
}

/**
 * PostgreSQL: a table's primary key, its foreign keys (to the tables as this
 * run names them) and the indexes the queries join on, built over all its
 * rows at once. Adding a foreign key checks every row in one join, and a
 * duplicate or an orphan fails the run.
 */
function keysOf(table: Table, build: TableBuild): { primary: string[]; foreign: string[]; indexes: string[] } {
  const name = build.ref(table.name);
  return {
    primary: table.primaryKey ? [`ALTER TABLE ${name} ADD CONSTRAINT ${primaryKeyName(table, build)} PRIMARY KEY (${ident(table.primaryKey)})`] : [],
    foreign: (table.foreignKeys ?? []).map((fk) => `ALTER TABLE ${name} ADD ${foreignKeyClause(fk, build.ref(fk.table), foreignKeyName(table, fk))}`),
    indexes: (table.indexes ?? []).map((column) => `CREATE INDEX ${indexName(table, column, build)} ON ${name} (${ident(column)})`),
  };
}

/** The keys of several tables: every primary key first, as the foreign keys need them. */
export function keysOfTables(tables: readonly Table[], build: TableBuild): string[] {
  const keys = tables.map((t) => keysOf(t, build));
  return [...keys.flatMap((k) => k.primary), ...keys.flatMap((k) => k.foreign), ...keys.flatMap((k) => k.indexes)];
}

/**
 * A fresh schema with its keys in place, all at once (no build, no swap):
 * for tests and the bench, which start from an empty database.
 */
export function freshSchemaSql(dialect: DialectName): string[] {
  const drops = [...TABLES].reverse().map((t) => `DROP TABLE IF EXISTS ${ident(t.name)}${dialect === 'postgres' ? ' CASCADE' : ''}`);
  const creates = TABLES.flatMap((t) => [createTableSql(t, dialect), ...statisticsTargetSql(t, dialect, TableBuild.NONE)]);
  const keys = dialect === 'postgres' ? keysOfTables(STAR_TABLES, TableBuild.NONE) : [];
  return [...drops, ...creates, ...keys];
}

import type { DialectName } from '../warehouse/dialect.js';
import { TABLES, type Column, type ForeignKey, type Table } from './schema.js';

/** `time`, `year`, `level` … are fine as PostgreSQL and Redshift identifiers only when quoted where reserved. */
export function ident(name: string): string {
  return name === 'time' || name === 'year' || name === 'month' || name === 'day' || name === 'hour' || name === 'week' ? `"${name}"` : name;
}

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
  if (column.notNull || table.primaryKey === column.name) parts.push('NOT NULL');
  return parts.join(' ');
}

export function createTableSql(table: Table, dialect: DialectName, ifNotExists = false): string {
  const lines = table.columns.map((c) => columnLine(table, c, dialect));
  if (table.primaryKey) lines.push(`CONSTRAINT ${table.name}_pkey PRIMARY KEY (${ident(table.primaryKey)})`);
  for (const fk of table.foreignKeys ?? []) lines.push(foreignKeyClause(table, fk));
  const unlogged = dialect === 'postgres' && table.role === 'staging' ? 'UNLOGGED ' : '';
  let sql = `CREATE ${unlogged}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${ident(table.name)} (\n  ${lines.join(',\n  ')}\n)`;
  if (dialect === 'redshift') {
    const dist = table.distribution;
    sql += dist.style === 'key' ? `\nDISTSTYLE KEY DISTKEY (${ident(dist.column)})` : `\nDISTSTYLE ${dist.style.toUpperCase()}`;
    if (table.sortKey) sql += `\nSORTKEY (${ident(table.sortKey)})`;
  }
  return sql;
}

export function createIndexSql(table: Table, dialect: DialectName): string[] {
  if (dialect !== 'postgres') return [];
  return (table.indexes ?? []).map((column) => `CREATE INDEX ${table.name}_${column}_idx ON ${ident(table.name)} (${ident(column)})`);
}

/**
 * PostgreSQL: ANALYZE of a staging table samples 300 rows per unit of the
 * columns' statistics target. The transforms need row counts and rough
 * distinct counts to choose hash joins, which 3,000 rows give as well as the
 * default 30,000 (the same plans at 10k to 1M events), and the ANALYZE takes
 * 40 ms instead of 100 at 100k events.
 */
const STAGING_STATISTICS_TARGET = 10;

export function statisticsTargetSql(table: Table, dialect: DialectName): string[] {
  if (dialect !== 'postgres' || !table.statistics) return [];
  const columns = table.statistics.map((c) => `ALTER COLUMN ${ident(c)} SET STATISTICS ${STAGING_STATISTICS_TARGET}`);
  return [`ALTER TABLE ${ident(table.name)} ${columns.join(', ')}`];
}

/** DROP in reverse creation order, then CREATE: the statements of `sparkify reset`. */
export function resetSchemaSql(dialect: DialectName): string[] {
  const drops = [...TABLES].reverse().map((t) => `DROP TABLE IF EXISTS ${ident(t.name)}${dialect === 'postgres' ? ' CASCADE' : ''}`);
  const creates = TABLES.flatMap((t) => [createTableSql(t, dialect), ...statisticsTargetSql(t, dialect), ...createIndexSql(t, dialect)]);
  return [...drops, ...creates];
}

function foreignKeyName(table: Table, fk: ForeignKey): string {
  return `${table.name}_${fk.column}_fkey`;
}

function foreignKeyClause(table: Table, fk: ForeignKey): string {
  return `CONSTRAINT ${foreignKeyName(table, fk)} FOREIGN KEY (${ident(fk.column)}) REFERENCES ${ident(fk.table)} (${ident(fk.references)})`;
}

const STAR_TABLES = TABLES.filter((t) => t.role === 'fact' || t.role === 'dimension');

/**
 * A bulk load on PostgreSQL drops the star tables' keys and indexes and builds
 * them again at the end: building an index over all rows at once is several
 * times faster than growing it row by row, and adding a foreign key checks
 * every row in one join where a kept key checks each row on its own. Both
 * happen inside the run's transaction, so no one sees the gap, and a run that
 * leaves duplicates or orphans fails when the keys come back.
 */
export function dropKeysSql(): string[] {
  return [
    ...STAR_TABLES.flatMap((t) => (t.foreignKeys ?? []).map((fk) => `ALTER TABLE ${ident(t.name)} DROP CONSTRAINT IF EXISTS ${foreignKeyName(t, fk)}`)),
    ...STAR_TABLES.flatMap((t) => (t.indexes ?? []).map((column) => `DROP INDEX IF EXISTS ${t.name}_${column}_idx`)),
    ...STAR_TABLES.filter((t) => t.primaryKey).map((t) => `ALTER TABLE ${ident(t.name)} DROP CONSTRAINT IF EXISTS ${t.name}_pkey`),
  ];
}

export function addKeysSql(): string[] {
  return [
    ...STAR_TABLES.filter((t) => t.primaryKey).map((t) => `ALTER TABLE ${ident(t.name)} ADD CONSTRAINT ${t.name}_pkey PRIMARY KEY (${ident(t.primaryKey!)})`),
    ...STAR_TABLES.flatMap((t) => (t.foreignKeys ?? []).map((fk) => `ALTER TABLE ${ident(t.name)} ADD ${foreignKeyClause(t, fk)}`)),
    ...STAR_TABLES.flatMap((t) => createIndexSql(t, 'postgres')),
  ];
}

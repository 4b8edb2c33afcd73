import { ident } from '../../sql/identifiers.js';
import { createTableSql, foreignKeyClause, foreignKeyName, type DdlVariant } from '../../sql/render-ddl.js';
import { CREATION_ORDER, STAR_TABLES, type Table } from '../../sql/schema.js';
import { TableBuild } from '../../sql/table-build.js';

/**
 * PostgreSQL's tables: TEXT; an identity column; staging UNLOGGED (it is
 * made again by every load); created bare, their keys and indexes built
 * once the rows are in (keysSql), several times faster than grown row by
 * row. PostgreSQL 18 names NOT NULL constraints after the table they were
 * made on: they are named after the live table, so a new table keeps no
 * trace of its build name once swapped in (the name is per table, and
 * PostgreSQL before 18 accepts and ignores it).
 */
export const POSTGRES_DDL: DdlVariant = {
  textType: () => 'TEXT',
  identity: 'GENERATED ALWAYS AS IDENTITY',
  notNull: (table, column) => `CONSTRAINT ${table.name}_${column.name}_not_null NOT NULL`,
  tableKind: (table) => (table.role === 'staging' ? 'UNLOGGED ' : ''),
  inlineKeys: () => [],
  tableOptions: () => '',
};

/**
 * ANALYZE of a staging table samples 300 rows per unit of the columns'
 * statistics target. The transforms need row counts and rough distinct
 * counts to choose hash joins, which 3,000 rows give as well as the default
 * 30,000 (the same plans at 10k to 1M events), and the ANALYZE takes 40 ms
 * instead of 100 at 100k events.
 */
const STAGING_STATISTICS_TARGET = 10;

export function statisticsTargetSql(table: Table, build: TableBuild): string[] {
  if (!table.statistics) return [];
  const columns = table.statistics.map((c) => `ALTER COLUMN ${ident(c)} SET STATISTICS ${STAGING_STATISTICS_TARGET}`);
  return [`ALTER TABLE ${build.ref(table.name)} ${columns.join(', ')}`];
}

/** The primary key's index, and so its constraint, is named after the table it is built under. */
export function primaryKeyName(table: Table, build: TableBuild): string {
  return `${build.nameOf(table.name)}_pkey`;
}

export function indexName(table: Table, column: string, build: TableBuild): string {
  return `${build.nameOf(table.name)}_${column}_idx`;
}

export function blockRangeIndexName(table: Table, build: TableBuild): string {
  return `${build.nameOf(table.name)}_${table.blockRangeIndex!.join('_')}_brin`;
}

/**
 * Built over the loaded rows, which it summarises; rows added later (an
 * incremental run's) are summarised by autovacuum, and until then their
 * pages are read by every scan of the index, as they should be.
 */
function blockRangeIndexSql(table: Table, build: TableBuild): string[] {
  if (!table.blockRangeIndex) return [];
  const columns = table.blockRangeIndex.map(ident).join(', ');
  return [`CREATE INDEX ${blockRangeIndexName(table, build)} ON ${build.ref(table.name)} USING brin (${columns}) WITH (autosummarize = on)`];
}

/**
 * A table's primary key, its foreign keys (to the tables as this run names
 * them) and the indexes the queries join on, built over all its rows at
 * once. Adding a foreign key checks every row in one join, and a duplicate
 * or an orphan fails the run.
 */
function keysOf(table: Table, build: TableBuild): { primary: string[]; foreign: string[]; indexes: string[] } {
  const name = build.ref(table.name);
  return {
    primary: table.primaryKey ? [`ALTER TABLE ${name} ADD CONSTRAINT ${primaryKeyName(table, build)} PRIMARY KEY (${ident(table.primaryKey)})`] : [],
    foreign: (table.foreignKeys ?? []).map((fk) => `ALTER TABLE ${name} ADD ${foreignKeyClause(fk, build.ref(fk.table), foreignKeyName(table, fk))}`),
    indexes: [
      ...(table.indexes ?? []).map((column) => `CREATE INDEX ${indexName(table, column, build)} ON ${name} (${ident(column)})`),
      ...blockRangeIndexSql(table, build),
    ],
  };
}

/**
 * The new rows' pages summarised in the table's block-range index, so that
 * the next incremental run skips them too: autovacuum would, but the
 * embedded server may not run long enough. Only the index in this schema,
 * and only where the role may (summarising takes the index's owner); none
 * where the index is missing (a warehouse made before it was).
 */
export function summarizeBlockRangesSql(table: Table): string {
  const name = blockRangeIndexName(table, TableBuild.NONE);
  return `SELECT brin_summarize_new_values(c.oid) AS ranges FROM pg_class c
WHERE c.oid = to_regclass(format('%I.%I', current_schema(), '${name}')) AND pg_has_role(c.relowner, 'USAGE')`;
}

/** The tables with keys or indexes: the star tables, and a staging table with a block-range index. */
export const INDEXED_TABLES: readonly Table[] = [...STAR_TABLES, ...CREATION_ORDER.filter((t) => t.blockRangeIndex)];

/** The keys of several tables: every primary key first, as the foreign keys need them. */
export function keysOfTables(tables: readonly Table[], build: TableBuild): string[] {
  const keys = tables.map((t) => keysOf(t, build));
  return [...keys.flatMap((k) => k.primary), ...keys.flatMap((k) => k.foreign), ...keys.flatMap((k) => k.indexes)];
}

/**
 * A fresh schema with its keys in place, all at once (no build, no swap):
 * for tests and the bench, which start from an empty database.
 */
export function freshSchemaSql(): string[] {
  const drops = [...CREATION_ORDER].reverse().map((t) => `DROP TABLE IF EXISTS ${ident(t.name)} CASCADE`);
  const creates = CREATION_ORDER.flatMap((t) => [createTableSql(t, POSTGRES_DDL), ...statisticsTargetSql(t, TableBuild.NONE)]);
  return [...drops, ...creates, ...keysOfTables(INDEXED_TABLES, TableBuild.NONE)];
}

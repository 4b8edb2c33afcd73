import { ident } from './identifiers.js';
import type { Column, ForeignKey, Table } from './schema.js';
import { TableBuild } from './table-build.js';

/** What each engine's CREATE TABLE says its own way (see src/engines/*\/ddl.ts). */
export interface DdlVariant {
  /** A text column's type; other types are the same on every engine. */
  textType(column: Column): string;
  /** The clause of a table's identity column. */
  identity: string;
  /** The NOT NULL of a key or not-null column. */
  notNull(table: Table, column: Column): string;
  /** What comes between CREATE and TABLE (`UNLOGGED ` for staging that need not survive a crash). */
  tableKind(table: Table): string;
  /** Keys declared in the CREATE TABLE itself (where the engine enforces none); otherwise built after the load. */
  inlineKeys(table: Table, build: TableBuild): string[];
  /** What follows the column list (distribution and sort keys). */
  tableOptions(table: Table): string;
}

function columnType(column: Column, ddl: DdlVariant): string {
  switch (column.type) {
    case 'text':
      return ddl.textType(column);
    case 'double':
      return 'DOUBLE PRECISION';
    default:
      return column.type.toUpperCase();
  }
}

function columnLine(table: Table, column: Column, ddl: DdlVariant): string {
  const parts = [ident(column.name), columnType(column, ddl)];
  if (table.identity === column.name) parts.push(ddl.identity);
  if (column.notNull || table.primaryKey === column.name) parts.push(ddl.notNull(table, column));
  return parts.join(' ');
}

/** A foreign key's name: the same under the build name, as PostgreSQL names constraints per table. */
export function foreignKeyName(table: Table, fk: ForeignKey): string {
  return `${table.name}_${fk.column}_fkey`;
}

export function foreignKeyClause(fk: ForeignKey, references: string, name?: string): string {
  return `${name ? `CONSTRAINT ${name} ` : ''}FOREIGN KEY (${ident(fk.column)}) REFERENCES ${references} (${ident(fk.references)})`;
}

/** CREATE TABLE under the table's name in `build`, as `ddl` says. */
export function createTableSql(table: Table, ddl: DdlVariant, build = TableBuild.NONE, ifNotExists = false): string {
  const fileId = table.fileIdColumn ? [`${ident(table.fileIdColumn)} INTEGER`] : [];
  const lines = [...table.columns.map((c) => columnLine(table, c, ddl)), ...fileId, ...ddl.inlineKeys(table, build)];
  return `CREATE ${ddl.tableKind(table)}TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${build.ref(table.name)} (\n  ${lines.join(',\n  ')}\n)${ddl.tableOptions(table)}`;
}

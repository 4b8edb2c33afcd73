import { ident } from './identifiers.js';
import { CREATION_ORDER, type Table, type TableName } from './schema.js';

/** What a table is called while it is being built, beside the live one. */
export const BUILD_SUFFIX = '__build';

/**
 * The tables a run builds anew, and the name each goes by during the run.
 *
 * A rebuilt table is created and filled under its build name while readers
 * go on using the live table; just before the commit the swap drops the live
 * table and gives the new one its name (dbt's build-then-swap). Readers wait
 * only for that swap, not for the load, and a run that fails, is cancelled or
 * is killed leaves the live tables as they were: the build tables were never
 * committed. Tables the run does not rebuild are read and written as they are.
 */
export class TableBuild {
  /** A run that rebuilds nothing (the checks alone). */
  static readonly NONE = new TableBuild([]);
  /** Every table: a reset, and a reload. */
  static readonly ALL = new TableBuild(CREATION_ORDER.map((t) => t.name));

  /** The rebuilt tables, in creation order (a table after those it references). */
  readonly tables: readonly Table[];

  constructor(names: Iterable<TableName>) {
    const wanted = new Set(names);
    this.tables = CREATION_ORDER.filter((t) => wanted.has(t.name));
  }

  rebuilds(name: TableName): boolean {
    return this.tables.some((t) => t.name === name);
  }

  /** The table's name in this run, unquoted: its build name when it is rebuilt. */
  nameOf(name: TableName): string {
    return this.rebuilds(name) ? `${name}${BUILD_SUFFIX}` : name;
  }

  /** The table's name in this run, as SQL. */
  ref(name: TableName): string {
    return ident(this.nameOf(name));
  }
}

import { ident } from './identifiers.js';
import { foreignKeyName } from './render-ddl.js';
import { CREATION_ORDER, STAR_TABLES, type ForeignKey, type Table, type TableName } from './schema.js';
import { BUILD_SUFFIX, type TableBuild } from './table-build.js';

/**
 * What every engine's swap shares (each engine's swap.ts composes its own):
 * the swap is the last statements before the commit: the live tables are
 * dropped (a table after the tables that reference it) and the new ones
 * renamed in their place, in the run's transaction. These take the locks
 * readers wait for, so they come last and touch only the catalog. Without
 * CASCADE: a view someone built on a table stops the run, rather than being
 * dropped with it.
 */

/** A foreign key of a table the run keeps, to a table it rebuilds: it must follow the new table. */
export interface RepointedKey {
  table: Table;
  fk: ForeignKey;
}

export function repointedKeys(build: TableBuild): RepointedKey[] {
  return STAR_TABLES.filter((t) => !build.rebuilds(t.name)).flatMap((table) =>
    (table.foreignKeys ?? []).filter((fk) => build.rebuilds(fk.table)).map((fk) => ({ table, fk })),
  );
}

/** Until the swap, a kept table's key to a rebuilt one sits beside the old key under this name. */
export function nextKeyName({ table, fk }: RepointedKey): string {
  return `${foreignKeyName(table, fk)}${BUILD_SUFFIX}`;
}

/**
 * The live tables the swap takes ACCESS EXCLUSIVE locks on: those it drops,
 * the tables their foreign keys reference (dropping a key takes both ends),
 * and a kept table whose key moves to a rebuilt one.
 */
export function swapLockedTables(build: TableBuild): TableName[] {
  const locked = new Set<TableName>(build.tables.map((t) => t.name));
  for (const table of build.tables) for (const fk of table.foreignKeys ?? []) locked.add(fk.table);
  for (const { table } of repointedKeys(build)) locked.add(table.name);
  return CREATION_ORDER.map((t) => t.name).filter((name) => locked.has(name));
}

/** The live tables dropped, in reverse creation order. */
export function dropLiveTablesSql(build: TableBuild): string[] {
  return [...build.tables].reverse().map((t) => `DROP TABLE IF EXISTS ${ident(t.name)}`);
}

/** Each new table renamed to the live one's name, followed by whatever the engine renames with it. */
export function renameNewTablesSql(build: TableBuild, withTable: (table: Table) => string[] = () => []): string[] {
  return build.tables.flatMap((t) => [`ALTER TABLE ${build.ref(t.name)} RENAME TO ${ident(t.name)}`, ...withTable(t)]);
}

/**
 * The views (and materialized views) built on a table, $1, of the current
 * schema: from the catalog, which PostgreSQL and Redshift's leader node both
 * keep (a view's rewrite rule depends on the tables it reads). Redshift's
 * "cannot drop table … because other objects depend on it" names none of
 * them. OID is a Redshift reserved word: the column is named quoted.
 */
export const DEPENDENT_VIEWS_SQL = `SELECT DISTINCT v.relname AS name, v.relkind AS kind
FROM pg_depend d
JOIN pg_rewrite r ON r."oid" = d.objid
JOIN pg_class v ON v."oid" = r.ev_class
JOIN pg_class t ON t."oid" = d.refobjid
WHERE d.classid = (SELECT c."oid" FROM pg_class c WHERE c.relname = 'pg_rewrite')
  AND t.relname = $1 AND v."oid" <> t."oid"
  AND t.relnamespace = (SELECT n."oid" FROM pg_namespace n WHERE n.nspname = current_schema())
ORDER BY v.relname`;

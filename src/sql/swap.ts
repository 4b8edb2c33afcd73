import type { DialectName } from '../warehouse/dialect.js';
import { ident } from './identifiers.js';
import { foreignKeyClause, foreignKeyName, indexName, keysOfTables, primaryKeyName, STAR_TABLES } from './render-ddl.js';
import { TABLES, type ForeignKey, type Table, type TableName } from './schema.js';
import { BUILD_SUFFIX, TableBuild } from './table-build.js';

/** A foreign key of a table the run keeps, to a table it rebuilds: it must follow the new table. */
interface RepointedKey {
  table: Table;
  fk: ForeignKey;
}

function repointedKeys(build: TableBuild): RepointedKey[] {
  return STAR_TABLES.filter((t) => !build.rebuilds(t.name)).flatMap((table) =>
    (table.foreignKeys ?? []).filter((fk) => build.rebuilds(fk.table)).map((fk) => ({ table, fk })),
  );
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
  return TABLES.map((t) => t.name).filter((name) => locked.has(name));
}

/** Until the swap, a kept table's key to a rebuilt one sits beside the old key under this name. */
function nextKeyName({ table, fk }: RepointedKey): string {
  return `${foreignKeyName(table, fk)}${BUILD_SUFFIX}`;
}

/**
 * PostgreSQL, once the rows are in: the rebuilt star tables' keys and
 * indexes, and for a kept table that references a rebuilt one (songplays,
 * when only users is rebuilt) a second foreign key to the new table. Adding
 * it proves every row against the new table while readers go on (it takes
 * a SHARE ROW EXCLUSIVE lock, which readers do not wait for); the swap then
 * only renames it. Redshift enforces no key and builds none.
 */
export function keysSql(dialect: DialectName, build: TableBuild): string[] {
  if (dialect !== 'postgres') return [];
  const rebuilt = STAR_TABLES.filter((t) => build.rebuilds(t.name));
  const repointed = repointedKeys(build).map((key) => `ALTER TABLE ${ident(key.table.name)} ADD ${foreignKeyClause(key.fk, build.ref(key.fk.table), nextKeyName(key))}`);
  return [...keysOfTables(rebuilt, build), ...repointed];
}

/** The new table takes the live one's name; on PostgreSQL its key, indexes and identity sequence too. */
function renameSql(table: Table, dialect: DialectName, build: TableBuild): string[] {
  const renames = [`ALTER TABLE ${build.ref(table.name)} RENAME TO ${ident(table.name)}`];
  if (dialect !== 'postgres') return renames;
  const live = TableBuild.NONE;
  const star = STAR_TABLES.includes(table);
  if (star && table.primaryKey) renames.push(`ALTER INDEX ${primaryKeyName(table, build)} RENAME TO ${primaryKeyName(table, live)}`);
  for (const column of star ? (table.indexes ?? []) : []) {
    renames.push(`ALTER INDEX ${indexName(table, column, build)} RENAME TO ${indexName(table, column, live)}`);
  }
  if (table.identity) {
    renames.push(`ALTER SEQUENCE ${build.nameOf(table.name)}_${table.identity}_seq RENAME TO ${table.name}_${table.identity}_seq`);
  }
  return renames;
}

/**
 * The swap, the last statements before the commit: the live tables are
 * dropped (a table after the tables that reference it) and the new ones
 * renamed in their place, in the run's transaction. These take the locks
 * readers wait for, so they come last and touch only the catalog. A kept
 * table's key to a rebuilt one moves to the new table: on PostgreSQL by
 * renaming the key proven before; on Redshift, where ALTER TABLE locks out
 * readers until the commit, only now, declared anew (Redshift checks none).
 * Without CASCADE: a view someone built on a table stops the run, rather
 * than being dropped with it.
 */
export function swapSql(dialect: DialectName, build: TableBuild): string[] {
  const repointed = repointedKeys(build);
  const ifExists = dialect === 'postgres' ? 'IF EXISTS ' : '';
  return [
    ...repointed.map(({ table, fk }) => `ALTER TABLE ${ident(table.name)} DROP CONSTRAINT ${ifExists}${foreignKeyName(table, fk)}`),
    ...[...build.tables].reverse().map((t) => `DROP TABLE IF EXISTS ${ident(t.name)}`),
    ...build.tables.flatMap((t) => renameSql(t, dialect, build)),
    ...repointed.map((key) =>
      dialect === 'postgres'
        ? `ALTER TABLE ${ident(key.table.name)} RENAME CONSTRAINT ${nextKeyName(key)} TO ${foreignKeyName(key.table, key.fk)}`
        : `ALTER TABLE ${ident(key.table.name)} ADD ${foreignKeyClause(key.fk, ident(key.fk.table), foreignKeyName(key.table, key.fk))}`,
    ),
  ];
}

/** PostgreSQL: the other sessions holding a lock on the live tables the swap replaces, for the message when it gives up. */
export const SWAP_BLOCKERS_SQL = `SELECT DISTINCT a.pid, a.application_name, a.usename, a.state, c.relname
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.pid <> pg_backend_pid() AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)
ORDER BY a.pid`;

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

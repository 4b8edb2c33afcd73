import { ident } from '../../sql/identifiers.js';
import { foreignKeyClause, foreignKeyName } from '../../sql/render-ddl.js';
import { STAR_TABLES, type Table } from '../../sql/schema.js';
import { dropLiveTablesSql, nextKeyName, renameNewTablesSql, repointedKeys } from '../../sql/swap.js';
import { TableBuild } from '../../sql/table-build.js';
import { blockRangeIndexName, INDEXED_TABLES, indexName, keysOfTables, primaryKeyName } from './ddl.js';

/**
 * Once the rows are in: the rebuilt star tables' keys and indexes, and for
 * a kept table that references a rebuilt one (songplays, when only users is
 * rebuilt) a second foreign key to the new table. Adding it proves every
 * row against the new table while readers go on (it takes a SHARE ROW
 * EXCLUSIVE lock, which readers do not wait for); the swap then only
 * renames it.
 */
export function keysSql(build: TableBuild): string[] {
  const rebuilt = INDEXED_TABLES.filter((t) => build.rebuilds(t.name));
  const repointed = repointedKeys(build).map(
    (key) => `ALTER TABLE ${ident(key.table.name)} ADD ${foreignKeyClause(key.fk, build.ref(key.fk.table), nextKeyName(key))}`,
  );
  return [...keysOfTables(rebuilt, build), ...repointed];
}

/** With the table, its key, indexes and identity sequence take the live one's names. */
function renamedWith(table: Table, build: TableBuild): string[] {
  const live = TableBuild.NONE;
  const star = STAR_TABLES.includes(table);
  const renames: string[] = [];
  if (star && table.primaryKey) renames.push(`ALTER INDEX ${primaryKeyName(table, build)} RENAME TO ${primaryKeyName(table, live)}`);
  for (const column of star ? (table.indexes ?? []) : []) {
    renames.push(`ALTER INDEX ${indexName(table, column, build)} RENAME TO ${indexName(table, column, live)}`);
  }
  if (table.blockRangeIndex) renames.push(`ALTER INDEX ${blockRangeIndexName(table, build)} RENAME TO ${blockRangeIndexName(table, live)}`);
  if (table.identity) {
    renames.push(`ALTER SEQUENCE ${build.nameOf(table.name)}_${table.identity}_seq RENAME TO ${table.name}_${table.identity}_seq`);
  }
  return renames;
}

/** The swap (see src/sql/swap.ts): a kept table's key to a rebuilt one, proven before it, only renamed. */
export function swapSql(build: TableBuild): string[] {
  const repointed = repointedKeys(build);
  return [
    ...repointed.map(({ table, fk }) => `ALTER TABLE ${ident(table.name)} DROP CONSTRAINT IF EXISTS ${foreignKeyName(table, fk)}`),
    ...dropLiveTablesSql(build),
    ...renameNewTablesSql(build, (t) => renamedWith(t, build)),
    ...repointed.map((key) => `ALTER TABLE ${ident(key.table.name)} RENAME CONSTRAINT ${nextKeyName(key)} TO ${foreignKeyName(key.table, key.fk)}`),
  ];
}

/** The other sessions holding a lock on the live tables the swap needs, for the message when it gives up. */
export const SWAP_BLOCKERS_SQL = `SELECT DISTINCT a.pid, a.application_name, a.usename, a.state, c.relname
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted AND l.pid <> pg_backend_pid() AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)
ORDER BY a.pid`;

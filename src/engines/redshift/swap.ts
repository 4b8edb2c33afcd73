import { ident } from '../../sql/identifiers.js';
import { foreignKeyClause, foreignKeyName } from '../../sql/render-ddl.js';
import { dropLiveTablesSql, renameNewTablesSql, repointedKeys } from '../../sql/swap.js';
import type { TableBuild } from '../../sql/table-build.js';

/**
 * The swap (see src/sql/swap.ts). A kept table's key to a rebuilt one moves
 * only now, declared anew: ALTER TABLE locks a Redshift table out for
 * readers until the commit, so it cannot be proven beforehand as on
 * PostgreSQL, and Redshift checks no key anyway.
 */
export function swapSql(build: TableBuild): string[] {
  const repointed = repointedKeys(build);
  return [
    ...repointed.map(({ table, fk }) => `ALTER TABLE ${ident(table.name)} DROP CONSTRAINT ${foreignKeyName(table, fk)}`),
    ...dropLiveTablesSql(build),
    ...renameNewTablesSql(build),
    ...repointed.map(({ table, fk }) => `ALTER TABLE ${ident(table.name)} ADD ${foreignKeyClause(fk, ident(fk.table), foreignKeyName(table, fk))}`),
  ];
}

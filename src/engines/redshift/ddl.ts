import { ident } from '../../sql/identifiers.js';
import { foreignKeyClause, foreignKeyName, type DdlVariant } from '../../sql/render-ddl.js';

/**
 * Redshift's tables: VARCHAR(n), as its TEXT is only VARCHAR(256); an
 * IDENTITY(0,1) column; keys declared inline (Redshift enforces none, and
 * its planner uses them), the primary key unnamed so that the server names
 * it apart from the live table's; and the distribution and sort keys.
 */
export const REDSHIFT_DDL: DdlVariant = {
  textType: (column) => `VARCHAR(${column.length ?? 256})`,
  identity: 'IDENTITY(0,1)',
  notNull: () => 'NOT NULL',
  tableKind: () => '',
  inlineKeys: (table, build) => [
    ...(table.primaryKey ? [`PRIMARY KEY (${ident(table.primaryKey)})`] : []),
    ...(table.foreignKeys ?? []).map((fk) => foreignKeyClause(fk, build.ref(fk.table), foreignKeyName(table, fk))),
  ],
  tableOptions: (table) => {
    const dist = table.distribution;
    const distribution = dist.style === 'key' ? `\nDISTSTYLE KEY DISTKEY (${ident(dist.column)})` : `\nDISTSTYLE ${dist.style.toUpperCase()}`;
    return `${distribution}${table.sortKey ? `\nSORTKEY (${ident(table.sortKey)})` : ''}`;
  },
};

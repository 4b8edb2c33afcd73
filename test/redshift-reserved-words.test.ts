import { describe, expect, it } from 'vitest';
import { ident } from '../src/sql/identifiers.js';
import { foreignKeyName } from '../src/sql/render-ddl.js';
import { isRedshiftReserved, REDSHIFT_RESERVED_WORDS } from '../src/sql/redshift-reserved-words.js';
import { TABLES } from '../src/sql/schema.js';
import { TableBuild } from '../src/sql/table-build.js';
import { redshiftStatements } from './support/redshift-statements.js';
import { bareWords, identifierPositions } from './support/sql-words.js';

/**
 * The reserved words the statements use as the keywords they are. A word
 * here may still not stand as a name: the identifier positions are checked
 * apart. A new keyword in a statement is added here, a new name never.
 */
const KEYWORDS_USED = new Set(
  `ALL ANALYZE AND AS BLANKSASNULL CASE CAST CONSTRAINT CREATE DESC DISTINCT ELSE EMPTYASNULL END FOR FOREIGN FROM GROUP HAVING
  IDENTITY IN INTERVAL INTO IS JOIN LEFT LIKE LIMIT NOT NULL OFF ON ONLY OR ORDER PARTITION PRIMARY REFERENCES SELECT TABLE
  THEN TIMESTAMP TO TRUNCATECOLUMNS UNION WHEN WHERE`.split(/\s+/),
);

describe('no Redshift reserved word is a bare identifier', () => {
  const statements = redshiftStatements();

  it('reads every statement of both kinds of warehouse', () => {
    expect(statements.filter((s) => s.views === 'provisioned').length).toBe(statements.filter((s) => s.views === 'serverless').length);
    expect(statements.filter((s) => s.views === 'both')).toHaveLength(41);
    // Per kind: the preview's types and size, and the catalog ad-hoc SQL completes names from.
    expect(statements.filter((s) => s.sql.includes('FROM svv_table_info') || s.sql.includes('FROM svv_columns'))).toHaveLength(6);
    expect(statements.some((s) => s.sql === 'SELECT * FROM "time" LIMIT 100')).toBe(true);
    expect(statements.filter((s) => s.sql.includes('__incoming'))).not.toHaveLength(0);
    expect(statements.some((s) => s.sql.includes('FROM sys_load_error_detail'))).toBe(true);
    expect(statements.some((s) => s.sql.includes('FROM stl_load_errors'))).toBe(true);
  });

  it("the list is the Guide's: 156 words, RAW among them, and not TIME or YEAR", () => {
    expect(REDSHIFT_RESERVED_WORDS.size).toBe(156);
    expect(['raw', 'RAW', 'user', 'open', 'offset', 'tag', 'system', 'top', 'percent', 'snapshot', 'timestamp'].every(isRedshiftReserved)).toBe(true);
    expect(['time', 'year', 'users', 'level', 'location', 'source', 'line', 'reason', 'raw_line'].some(isRedshiftReserved)).toBe(false);
  });

  it('the reading finds a reserved word wherever a name stands, and not in a literal or a quoted name', () => {
    const sql = `CREATE TABLE snapshot (
  open VARCHAR(8),
  "user" INTEGER,
  PRIMARY KEY (open)
)`;
    expect(identifierPositions(sql)).toEqual(['snapshot', 'open', 'Q_____', 'open']);
    expect(
      identifierPositions(`INSERT INTO t (a, offset) SELECT x.tag, y AS percent, CAST(z AS TIMESTAMP) FROM songplays top JOIN songs s ON s.a = top.a`).filter(
        isRedshiftReserved,
      ),
    ).toEqual(['percent', 'tag', 'top', 'top', 'offset']);
    expect(bareWords(`SELECT 'raw' AS "raw", raw_line FROM load_errors -- raw`)).toEqual(['SELECT', 'AS', 'Q____', 'raw_line', 'FROM', 'load_errors']);
    // TIMESTAMP is a keyword the statements use, but not a column's name.
    expect(identifierPositions('CREATE TABLE t (\n  timestamp TIMESTAMP\n)').filter(isRedshiftReserved)).toEqual(['timestamp']);
  });

  it('every bare reserved word of every statement is one of the keywords used', () => {
    const misuses = statements.flatMap(({ from, sql }) =>
      bareWords(sql)
        .filter((w) => isRedshiftReserved(w) && !KEYWORDS_USED.has(w.toUpperCase()))
        .map((w) => `${from}: ${w}`),
    );
    expect([...new Set(misuses)]).toEqual([]);
  });

  it('no reserved word stands where a name stands in any statement', () => {
    const misuses = statements.flatMap(({ from, sql }) =>
      identifierPositions(sql)
        .filter(isRedshiftReserved)
        .map((w) => `${from}: ${w}`),
    );
    expect([...new Set(misuses)]).toEqual([]);
  });

  it('no table, build table, column or constraint of the schema is a reserved word left unquoted', () => {
    const names = TABLES.flatMap((t) => [
      t.name,
      TableBuild.ALL.nameOf(t.name),
      ...t.columns.map((c) => c.name),
      ...(t.foreignKeys ?? []).map((fk) => foreignKeyName(t, fk)),
    ]);
    expect(names.filter((n) => isRedshiftReserved(n) && ident(n) === n)).toEqual([]);
  });
});

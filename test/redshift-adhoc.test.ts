import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adhocStatements, CURRENT_SCHEMA_SQL, DECLARE_CURSOR_PREFIX } from '../src/adhoc/adhoc-sql.js';
import { splitStatements } from '../src/adhoc/split-statements.js';
import { describeStatementError, SentStatementError } from '../src/adhoc/statement-error.js';
import { DEFAULT_TIMEOUT_MS } from '../src/adhoc/timeout.js';
import { postgresEngine } from '../src/engines/postgres/engine.js';
import { redshiftEngine } from '../src/engines/redshift/engine.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { loadedWarehouse } from './support/loaded-warehouse.js';
import { rows } from './support/warehouse.js';

describe('what sparkify sql sends around a statement, on Redshift (both kinds of warehouse)', () => {
  it.each(['provisioned', 'serverless'] as const)('%s: the read-only begin, the timeout, the cursor and the catalog', (views) => {
    expect(adhocStatements(redshiftEngine(views), DEFAULT_TIMEOUT_MS)).toEqual([
      'BEGIN READ ONLY',
      'BEGIN',
      'SET LOCAL statement_timeout TO 300000',
      'SET statement_timeout TO 300000',
      'RESET statement_timeout',
      'FETCH FORWARD 1000 FROM sparkify_sql',
      'CLOSE sparkify_sql',
      'COMMIT',
      'ROLLBACK',
      'SELECT current_schema() AS schema_name',
      'SELECT table_name, column_name, data_type FROM svv_columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position',
    ]);
    expect(DECLARE_CURSOR_PREFIX).toBe('DECLARE sparkify_sql CURSOR FOR\n');
  });

  it("each is of the Guide's syntax (BEGIN, SET, DECLARE, FETCH at most 1,000 rows on a single node, CLOSE, RESET)", () => {
    const [beginReadOnly, begin, setLocal, setSession, reset, fetch, close] = adhocStatements(redshiftEngine('provisioned'), 1500);
    // BEGIN [ WORK | TRANSACTION ] [ ISOLATION LEVEL option ] [ READ WRITE | READ ONLY ]
    for (const sql of [beginReadOnly!, begin!]) expect(sql).toMatch(/^BEGIN(?: (?:WORK|TRANSACTION))?(?: ISOLATION LEVEL \w+)?(?: READ (?:WRITE|ONLY))?$/);
    // SET [ SESSION | LOCAL ] parameter_name { TO | = } value; statement_timeout in milliseconds.
    for (const sql of [setLocal!, setSession!]) expect(sql).toMatch(/^SET(?: (?:SESSION|LOCAL))? statement_timeout (?:TO|=) 1500$/);
    expect(reset).toMatch(/^RESET \w+$/);
    // DECLARE cursor_name CURSOR FOR query
    expect(`${DECLARE_CURSOR_PREFIX}SELECT 1`).toMatch(/^DECLARE (\w+) CURSOR FOR\nSELECT 1$/);
    // FETCH [ NEXT | ALL | {FORWARD [ count | ALL ] } ] FROM cursor
    const count = /^FETCH FORWARD (\d+) FROM sparkify_sql$/.exec(fetch!)?.[1];
    expect(Number(count)).toBeLessThanOrEqual(1000);
    expect(close).toBe('CLOSE sparkify_sql');
  });

  it('asks for the current schema alone: current_schema() runs on the leader node only, and fails beside an SVV view', () => {
    const catalog = redshiftEngine('serverless').columnsCatalogSql;
    expect(catalog).not.toMatch(/current_schema/i);
    expect(CURRENT_SCHEMA_SQL).not.toMatch(/\b(svv|stv|stl|svl|sys|pg)_\w+/i);
  });

  it("cuts a script where Redshift's literals end: a backslash escapes a quote there", () => {
    const script = `SELECT 'it\\'s; fine' AS a; SELECT 2`;
    expect(splitStatements(script, { backslashEscapes: redshiftEngine('provisioned').backslashEscapesInStrings }).map((s) => s.text)).toEqual([
      `SELECT 'it\\'s; fine' AS a`,
      'SELECT 2',
    ]);
    // PostgreSQL's literal ends at the backslash's quote.
    expect(splitStatements(script, { backslashEscapes: postgresEngine().backslashEscapesInStrings }).map((s) => s.text)).toEqual([
      `SELECT 'it\\'s`,
      `fine' AS a; SELECT 2`,
    ]);
  });

  it('tells its timeout from a cancel by the time it ran: Redshift words both as a cancel ("cancelled on user\'s request")', () => {
    const [statement] = splitStatements('SELECT * FROM songplays');
    const redshiftCancel = Object.assign(new Error("Query (150) canceled on user's request"), { code: '57014', severity: 'ERROR' });
    const context = { readOnly: true, timeoutMs: 2000, signal: undefined };
    expect(describeStatementError(new SentStatementError(redshiftCancel, null, 2004), statement!, context)).toMatchObject({
      kind: 'timeout',
      message: 'the statement at line 1, column 1: ran past its timeout of 2s and was cancelled by the server',
    });
    expect(describeStatementError(new SentStatementError(redshiftCancel, null, 300), statement!, context)).toMatchObject({
      kind: 'server',
      message: "the statement at line 1, column 1: Query (150) canceled on user's request",
    });
  });
});

describe("the Redshift catalog query runs as written against a stand-in of SVV_COLUMNS with the Guide's columns", () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await loadedWarehouse();
    // SVV_COLUMNS as the Guide lists its columns (text and int), over PostgreSQL's own catalog.
    await wh.query(`CREATE VIEW svv_columns AS SELECT
      table_catalog::text, table_schema::text, table_name::text, column_name::text, ordinal_position::int, column_default::text,
      is_nullable::text, data_type::text, character_maximum_length::int, numeric_precision::int, numeric_precision_radix::int,
      numeric_scale::int, datetime_precision::int, interval_type::text, interval_precision::text, character_set_catalog::text,
      character_set_schema::text, character_set_name::text, collation_catalog::text, collation_schema::text, collation_name::text,
      domain_name::text, NULL::text AS remarks
      FROM information_schema.columns`);
  });
  afterAll(() => wh.close());

  it("gives what the PostgreSQL engine's query gives, from the schema current_schema() names", async () => {
    const schema = (await rows<{ schema_name: string }>(wh, CURRENT_SCHEMA_SQL))[0]!.schema_name;
    expect(schema).toBe('public');
    const redshift = await rows(wh, redshiftEngine('provisioned').columnsCatalogSql, [schema]);
    expect(redshift).toEqual(await rows(wh, postgresEngine().columnsCatalogSql, [schema]));
    expect(redshift.filter((r) => r.table_name === 'songplays').map((r) => r.column_name)).toEqual([
      'songplay_id',
      'start_time',
      'user_id',
      'level',
      'song_id',
      'artist_id',
      'session_id',
      'location',
      'user_agent',
    ]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/adhoc/catalog.js';
import { collectStatement } from '../src/adhoc/collect-rows.js';
import { runStatement, type ResultSink } from '../src/adhoc/run-statement.js';
import { splitStatements } from '../src/adhoc/split-statements.js';
import { SqlError } from '../src/adhoc/sql-error.js';
import { TABLES } from '../src/sql/schema.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { CancelledError } from '../src/warehouse/errors.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { openWarehouse, withWarehouse } from './support/open-warehouse.js';
import { ServerLog } from './support/server-log.js';

const one = (text: string) => splitStatements(text)[0]!;
const nowhere: ResultSink = { columns: () => {}, rows: () => {} };

/** The failure of `work`, which must fail. */
async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.unreachable('it should have failed'),
    (error: unknown) => error,
  );
}

describe('ad-hoc statements through the domain API (the app uses it), on the mini warehouse', () => {
  let cfg: string;
  let wh: Warehouse;
  beforeAll(async () => {
    cfg = await loadedConfig();
    wh = await openWarehouse(cfg);
  });
  afterAll(() => wh.close());

  it('sends the statement in a read-only transaction with its timeout, and a query through a cursor, 1,000 rows a fetch (the server log)', async () => {
    await withWarehouse(cfg, (admin) => admin.query(`ALTER DATABASE ${admin.config.cluster.database} SET log_statement = 'all'`));
    const logged = await openWarehouse(cfg);
    const log = new ServerLog();
    try {
      const batches: number[] = [];
      const outcome = await runStatement(logged, one('SELECT g FROM generate_series(1, 2500) g'), {
        columns: () => {},
        rows: (b) => void batches.push(b.length),
      });
      expect(outcome).toMatchObject({ tag: 'SELECT 2500', rows: 2500, stopped: false, columns: [{ name: 'g', numeric: true }] });
      expect(batches).toEqual([1000, 1000, 500]);
      await runStatement(logged, one('CREATE TABLE scratch (n INT)'), nowhere, { write: true, timeoutMs: 1500 });
      expect(await failure(runStatement(logged, one('INSERT INTO scratch VALUES (1)'), nowhere))).toMatchObject({ kind: 'read-only', code: '25006' });
      await runStatement(logged, one('DROP TABLE scratch'), nowhere, { write: true, timeoutMs: 0 });
      expect(log.statementsOf(logged.backendPid!)).toEqual([
        'BEGIN READ ONLY',
        'SET LOCAL statement_timeout TO 300000',
        'DECLARE sparkify_sql CURSOR FOR\nSELECT g FROM generate_series(1, 2500) g',
        'FETCH FORWARD 1000 FROM sparkify_sql',
        'FETCH FORWARD 1000 FROM sparkify_sql',
        'FETCH FORWARD 1000 FROM sparkify_sql',
        'COMMIT',
        'BEGIN',
        'SET LOCAL statement_timeout TO 1500',
        'CREATE TABLE scratch (n INT)',
        'COMMIT',
        'BEGIN READ ONLY',
        'SET LOCAL statement_timeout TO 300000',
        'INSERT INTO scratch VALUES (1)',
        'ROLLBACK',
        'BEGIN',
        'SET LOCAL statement_timeout TO 0',
        'DROP TABLE scratch',
        'COMMIT',
      ]);
    } finally {
      await logged.close();
      await withWarehouse(cfg, (admin) => admin.query(`ALTER DATABASE ${admin.config.cluster.database} RESET log_statement`));
    }
  });

  it('collects the first rows of a result for a screen, and says there were more', async () => {
    const collected = await collectStatement(wh, one('SELECT user_id, level FROM users ORDER BY user_id'), { maxRows: 2 });
    expect(collected).toMatchObject({
      result: {
        columns: [
          { name: 'user_id', numeric: true },
          { name: 'level', numeric: false },
        ],
        rows: [
          [10, 'paid'],
          [20, 'paid'],
        ],
      },
      more: true,
      stopped: true,
    });
    expect(await collectStatement(wh, one("SET application_name TO 'analyst'"))).toMatchObject({ tag: 'SET', result: null, more: false, columns: null });
  });

  it('a failure is a SqlError placed in the script, and the session goes on', async () => {
    const script = 'SELECT 1;\n-- the users\nSELECT frist_name FROM users';
    const [, second] = splitStatements(script);
    const error = await failure(runStatement(wh, second!, nowhere));
    expect(error).toBeInstanceOf(SqlError);
    expect(error).toMatchObject({ kind: 'server', code: '42703', at: { line: 3, column: 8, offset: 30 }, statement: { line: 3, column: 1 } });
    expect((error as SqlError).message).toBe(
      'line 3, column 8: column "frist_name" does not exist (Perhaps you meant to reference the column "users.first_name".)',
    );
    expect((await wh.readyClient()).getTransactionStatus()).toBe('I');
    expect((await collectStatement(wh, one('SELECT COUNT(*) AS n FROM users'))).result!.rows).toEqual([[3]]);
  });

  it('cancels on the server when the signal fires (the app: Esc), and the session goes on', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    expect(await failure(runStatement(wh, one('SELECT pg_sleep(30)'), nowhere, { signal: controller.signal }))).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(4000);
    expect((await collectStatement(wh, one('SELECT 2 AS n'))).result!.rows).toEqual([[2]]);
  });

  it('with writes switched off, refuses to run inside a transaction the script opened with them on, but lets it end', async () => {
    await runStatement(wh, one('BEGIN'), nowhere, { write: true });
    const refused = await failure(runStatement(wh, one('SELECT 1'), nowhere));
    expect(refused).toMatchObject({
      kind: 'read-only',
      message: 'the statement at line 1, column 1: a transaction opened with writes allowed is still open: end it with COMMIT or ROLLBACK first',
    });
    expect(await runStatement(wh, one('ROLLBACK'), nowhere)).toMatchObject({ tag: 'ROLLBACK' });
    expect((await wh.readyClient()).getTransactionStatus()).toBe('I');
  });

  it("lists the schema's tables and views with their columns in order, for completion", async () => {
    await withWarehouse(cfg, (other) => other.query('CREATE VIEW paid_users AS SELECT user_id, first_name FROM users WHERE level = $$paid$$'));
    const catalog = await loadCatalog(wh);
    const expected = [
      ...TABLES.map((t) => ({ table: t.name, columns: [...t.columns.map((c) => c.name), ...(t.fileIdColumn ? [t.fileIdColumn] : [])] })),
      { table: 'paid_users', columns: ['user_id', 'first_name'] },
    ];
    expect(catalog.map((t) => ({ table: t.table, columns: t.columns.map((c) => c.name) }))).toEqual(expected.sort((a, b) => (a.table < b.table ? -1 : 1)));
    expect(catalog.find((t) => t.table === 'users')!.columns).toEqual([
      { name: 'user_id', type: 'integer' },
      { name: 'first_name', type: 'text' },
      { name: 'last_name', type: 'text' },
      { name: 'gender', type: 'text' },
      { name: 'level', type: 'text' },
    ]);
  });
});

import { POSTGRES_DDL } from '../src/engines/postgres/ddl.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import type { Config, RedshiftSystemViews } from '../src/config/types.js';
import { COPY_STARTED_SQL, copyOnRedshift } from '../src/engines/redshift/load-errors.js';
import { ensureLoadErrorsSql } from '../src/sql/load-errors.js';
import { redshiftMonitoring } from '../src/engines/redshift/system-views.js';
import { redshiftEngine } from '../src/engines/redshift/engine.js';
import { previewTable } from '../src/queries/table-preview.js';
import { STAGING_EVENTS, STAGING_SONGS, type Table } from '../src/sql/schema.js';
import { TableBuild } from '../src/sql/table-build.js';
import { Warehouse } from '../src/warehouse/connection.js';
import { acquireTableLock, lockTableSql } from '../src/engines/redshift/lock-table.js';
import { loadConfigText } from './support/config-file.js';
import { MINI } from './support/fixtures.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { redshiftStatements } from './support/redshift-statements.js';
import { createRedshiftStandIns } from './support/redshift-stand-ins.js';
import { udacityCfg } from './support/udacity-cfg.js';
import { loadTestConfig, rows } from './support/warehouse.js';

const S3 = `[IAM_ROLE]\nARN=arn:aws:iam::1:role/r\n[S3]\nLOG_DATA=s3://bkt/l\nLOG_JSONPATH=s3://bkt/j.json\nSONG_DATA=s3://bkt/s\n`;

function errorOf(text: string): string {
  try {
    loadConfigText(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Redshift Serverless is recognised', () => {
  it('by its endpoint, or by [CLUSTER] SERVERLESS, which overrides the endpoint either way', () => {
    const views = (text: string, env: NodeJS.ProcessEnv = {}) => {
      const config = loadConfigText(text, env);
      return [config.engine, config.redshiftSystemViews];
    };
    expect(views(udacityCfg())).toEqual(['redshift', 'provisioned']);
    expect(views(`[CLUSTER]\nHOST=wg.123456789012.us-east-1.redshift-serverless.amazonaws.com\n${S3}`)).toEqual(['redshift', 'serverless']);
    expect(views(`[CLUSTER]\nHOST=WG.123456789012.US-EAST-1.REDSHIFT-SERVERLESS.AMAZONAWS.COM\n${S3}`)).toEqual(['redshift', 'serverless']);
    // A custom domain name or a VPC endpoint: SERVERLESS=true says it is Redshift, and Serverless.
    expect(views(`[CLUSTER]\nHOST=warehouse.example.com\nSERVERLESS=true\n${S3}`)).toEqual(['redshift', 'serverless']);
    expect(views(`[CLUSTER]\nHOST=warehouse.example.com\nSERVERLESS=Yes\n${S3}`)).toEqual(['redshift', 'serverless']);
    expect(views(`[CLUSTER]\nHOST=wg.123456789012.us-east-1.redshift-serverless.amazonaws.com\nSERVERLESS=false\n${S3}`)).toEqual(['redshift', 'provisioned']);
    expect(views(udacityCfg(), { SPARKIFY_CLUSTER_SERVERLESS: '1' })).toEqual(['redshift', 'serverless']);
    expect(views(`[CLUSTER]\nHOST=db.internal\n`)).toEqual(['postgres', 'provisioned']);
  });

  it('refuses a SERVERLESS that is not a yes or no, or that contradicts ENGINE, naming the key', () => {
    expect(errorOf(`[CLUSTER]\nHOST=warehouse.example.com\nSERVERLESS=maybe\n${S3}`)).toBe('dwh.cfg: [CLUSTER] SERVERLESS must be true or false, got "maybe"');
    expect(errorOf(`[CLUSTER]\nHOST=db.internal\nENGINE=postgres\nSERVERLESS=true\n`)).toBe(
      'dwh.cfg: [CLUSTER] SERVERLESS = true is for Redshift Serverless, but ENGINE is postgres',
    );
  });
});

describe('the system views each kind of Redshift warehouse reads', () => {
  const statements = redshiftStatements();
  const provisionedOnly = /\b(stl|stv|svl|svcs)_\w+/gi;

  it('no Serverless statement names a table only provisioned clusters have', () => {
    const serverless = statements.filter((s) => s.views === 'serverless');
    expect(serverless.flatMap((s) => (s.sql.match(provisionedOnly) ?? []).map((table) => `${s.from}: ${table}`))).toEqual([]);
    expect(serverless.some((s) => s.sql.includes('FROM sys_session_history'))).toBe(true);
  });

  it('a provisioned cluster finds its live sessions in stv_sessions, Serverless in SYS_SESSION_HISTORY', () => {
    expect(lockTableSql('redshift', 'provisioned').dropStale).toBe('DELETE FROM sparkify_run_lock WHERE pid NOT IN (SELECT process FROM stv_sessions)');
    expect(lockTableSql('redshift', 'serverless').dropStale).toBe(
      "DELETE FROM sparkify_run_lock WHERE pid NOT IN (SELECT session_id FROM sys_session_history WHERE TRIM(status) = 'active')",
    );
    expect(lockTableSql('redshift', 'serverless').take).toBe('INSERT INTO sparkify_run_lock (pid, holder, since) VALUES (pg_backend_pid(), $1, GETDATE())');
  });
});

describe('the Redshift SQL, run on PostgreSQL against stand-ins of the system views', () => {
  let config: Config;
  let database: string;
  let main: Warehouse;
  const open = (views: RedshiftSystemViews) => Warehouse.open({ ...config, cluster: { ...config.cluster, database }, redshiftSystemViews: views });

  beforeAll(async () => {
    config = await loadTestConfig(MINI);
    database = config.cluster.database;
    main = await open('provisioned');
    await createRedshiftStandIns(main);
    await main.query(ensureLoadErrorsSql(POSTGRES_DDL));
  });
  afterAll(() => main?.close());

  it.each(['provisioned', 'serverless'] as const)(
    "%s: the lock table lets one session in, names it to the next, and frees a killed session's row",
    async (views) => {
      const [first, second, third] = [await open(views), await open(views), await open(views)];
      try {
        const release = await acquireTableLock(first, 'redshift', views);
        await expect(acquireTableLock(second, 'redshift', views)).rejects.toThrow(
          new RegExp(
            `^another run is in progress on this warehouse: sparkify \\(pid ${process.pid}\\) \\(server pid ${first.backendPid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\); wait for it to finish, or cancel it there$`,
          ),
        );
        await release();
        await acquireTableLock(second, 'redshift', views);
        await third.query('SELECT pg_terminate_backend($1)', [second.backendPid]);
        await expect.poll(async () => (await rows(third, 'SELECT process FROM stv_sessions WHERE process = $1', [second.backendPid])).length).toBe(0);
        const releaseThird = await acquireTableLock(third, 'redshift', views);
        expect(await rows(third, 'SELECT pid FROM sparkify_run_lock')).toEqual([{ pid: third.backendPid }]);
        await releaseThird();
        expect(await rows(third, 'SELECT COUNT(*)::int AS n FROM sparkify_run_lock')).toEqual([{ n: 0 }]);
      } finally {
        await Promise.all([first.close(), second.close().catch(() => {}), third.close()]);
      }
    },
  );

  it("a provisioned cluster's lock on an endpoint without stv_sessions says to set SERVERLESS=true", async () => {
    await withWarehouse(warehouseOn(MINI), async (elsewhere) => {
      await expect(acquireTableLock(elsewhere, 'redshift', 'provisioned')).rejects.toThrow(
        'relation "stv_sessions" does not exist (Redshift Serverless has no STV tables: set [CLUSTER] SERVERLESS=true)',
      );
      expect(await rows(elsewhere, 'SELECT COUNT(*)::int AS n FROM sparkify_run_lock')).toEqual([{ n: 0 }]);
    });
  });

  it('provisioned: the rows the last COPY left out go from stl_load_errors into load_errors, trimmed', async () => {
    await main.query('DELETE FROM load_errors');
    await main.query(`INSERT INTO stl_load_errors (query, session, starttime, filename, line_number, colname, raw_line, err_reason) VALUES
      (7, 1, LOCALTIMESTAMP, 's3://b/l/a.json', 3, 'ts', '{"ts":"abc"}', 'Invalid digit, Value ''a'''),
      (7, 1, LOCALTIMESTAMP, 's3://b/l/b.json', 9, 'userid', '{"userId":"x"}', 'Invalid digit, Value ''x'''),
      (6, 1, LOCALTIMESTAMP, 's3://b/l/old.json', 1, 'ts', '{}', 'an earlier load')`);
    const { rowCount } = await main.query(redshiftMonitoring('provisioned').recordLoadErrors(STAGING_EVENTS));
    expect(rowCount).toBe(2);
    expect(await rows(main, 'SELECT table_name, source, line::int, reason, raw_line FROM load_errors ORDER BY line')).toEqual([
      { table_name: 'staging_events', source: 's3://b/l/a.json', line: 3, reason: "Invalid digit, Value 'a'", raw_line: '{"ts":"abc"}' },
      { table_name: 'staging_events', source: 's3://b/l/b.json', line: 9, reason: "Invalid digit, Value 'x'", raw_line: '{"userId":"x"}' },
    ]);
  });

  it("Serverless: the rows of this session's latest completed COPY into the table go from SYS_LOAD_ERROR_DETAIL into load_errors, without a raw line", async () => {
    for (const table of ['load_errors', 'sys_load_history', 'sys_load_error_detail']) await main.query(`DELETE FROM ${table}`);
    const pid = main.backendPid!;
    const build = new TableBuild(['staging_events', 'staging_songs']);
    const record = async (table: Table) => (await main.query(redshiftMonitoring('serverless').recordLoadErrors(table, build))).rowCount;
    await main.query(
      `INSERT INTO sys_load_error_detail (query_id, session_id, start_time, file_name, line_number, column_name, error_message) VALUES
        (1010, $1, LOCALTIMESTAMP, 's3://b/l/a.json', 3, 'ts', 'Invalid digit, Value ''a'''),
        (1011, $1, LOCALTIMESTAMP, 's3://b/s/A/x.json', 1, 'year', 'Invalid digit, Value ''y'''),
        (1011, $1, LOCALTIMESTAMP, 's3://b/s/B/y.json', 1, 'duration', 'Invalid digit, Value ''d'''),
        (1012, $1 + 1, LOCALTIMESTAMP, 's3://b/s/z.json', 5, 'year', 'another session''s load')`,
      [pid],
    );
    const history = `INSERT INTO sys_load_history (query_id, session_id, table_name, status, start_time) VALUES ($1, $2, $3, $4, LOCALTIMESTAMP)`;
    await main.query(history, [1010, pid, 'staging_events__build', 'completed']);
    await main.query(history, [1012, pid + 1, 'staging_songs__build', 'completed']);
    // The songs' COPY (1011) is not in the view yet, then only as running: the events' COPY before it is not taken for it.
    expect(await record(STAGING_SONGS)).toBe(0);
    await main.query(history, [1011, pid, 'staging_songs__build', 'running']);
    expect(await record(STAGING_SONGS)).toBe(0);
    await main.query("UPDATE sys_load_history SET status = 'completed' WHERE query_id = 1011");
    expect(await record(STAGING_SONGS)).toBe(2);
    expect(await record(STAGING_EVENTS)).toBe(1);
    expect(await rows(main, 'SELECT table_name, source, line::int, reason, raw_line FROM load_errors ORDER BY source')).toEqual([
      { table_name: 'staging_events', source: 's3://b/l/a.json', line: 3, reason: "Invalid digit, Value 'a'", raw_line: null },
      { table_name: 'staging_songs', source: 's3://b/s/A/x.json', line: 1, reason: "Invalid digit, Value 'y'", raw_line: null },
      { table_name: 'staging_songs', source: 's3://b/s/B/y.json', line: 1, reason: "Invalid digit, Value 'd'", raw_line: null },
    ]);
  });

  it.each(['provisioned', 'serverless'] as const)(
    "%s: a table's preview reads each column's type from SVV_COLUMNS and its size in 1 MB blocks from SVV_TABLE_INFO",
    async (views) => {
      await main.query('DROP TABLE IF EXISTS songs');
      await main.query('CREATE TABLE songs (song_id VARCHAR(32), title VARCHAR(512), year SMALLINT, duration DOUBLE PRECISION, added TIMESTAMP)');
      await main.query(`INSERT INTO songs VALUES ('S1', 'Lonely', 2018, 201.5, '2018-11-01 21:01:46')`);
      await main.query('DELETE FROM svv_table_info');
      await main.query(`INSERT INTO svv_table_info (database, schema, "table", size, tbl_rows) VALUES (current_database(), current_schema(), 'songs', 3, 1)`);
      // Redshift's engine on this PostgreSQL session: its SQL runs against the stand-ins as written.
      const onRedshift = Object.create(main, { engine: { value: redshiftEngine(views) } }) as Warehouse;
      const preview = await previewTable(onRedshift, 'songs');
      expect(preview.result.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        'song_id character varying(32)',
        'title character varying(512)',
        'year smallint',
        'duration double precision',
        'added timestamp without time zone',
      ]);
      expect([preview.rowCount, preview.bytes, preview.sizeProblem]).toEqual([1, 3 * 1024 * 1024, null]);
      expect(preview.result.rows).toEqual([['S1', 'Lonely', 2018, 201.5, '2018-11-01 21:01:46']]);
      // No row for an empty table; no view at all to a user it is not granted to.
      await main.query('DELETE FROM svv_table_info');
      expect((await previewTable(onRedshift, 'songs')).sizeProblem).toBe('not known (the server keeps no size for an empty table)');
      await main.query('ALTER TABLE svv_table_info RENAME TO svv_table_info_hidden');
      try {
        expect((await previewTable(onRedshift, 'songs')).sizeProblem).toBe('not known: relation "svv_table_info" does not exist');
      } finally {
        await main.query('ALTER TABLE svv_table_info_hidden RENAME TO svv_table_info');
        await main.query('DROP TABLE songs');
      }
    },
  );

  it.each([
    [
      'provisioned',
      `INSERT INTO stl_load_errors (session, starttime, filename, line_number, colname, err_reason)
       VALUES ($1, (now() AT TIME ZONE 'UTC') + $2::interval, $3, 12, 'ts', 'Invalid digit, Value ''a''')`,
    ],
    [
      'serverless',
      `INSERT INTO sys_load_error_detail (session_id, start_time, file_name, line_number, column_name, error_message)
       VALUES ($1, (now() AT TIME ZONE 'UTC') + $2::interval, $3, 12, 'ts', 'Invalid digit, Value ''a''')`,
    ],
  ] as const)("%s: a failed COPY reports the first rows its session left in the error view since the server's time before it", async (views, insert) => {
    const wh = await open(views);
    // This machine's clock is an hour fast: only the server's counts.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    try {
      await main.query(insert, [wh.backendPid, '1 minute', 's3://b/l/2018-11-30-events.json']);
      await main.query(insert, [wh.backendPid, '-1 minute', 's3://b/l/an-earlier-load.json']);
      // Any failing statement stands for the COPY; the rows are read from a second session.
      await expect(copyOnRedshift(wh, COPY_STARTED_SQL, 'SELECT 1 / 0', new AbortController().signal)).rejects.toThrow(
        /^division by zero: s3:\/\/b\/l\/2018-11-30-events\.json:12 ts: Invalid digit, Value 'a'$/,
      );
    } finally {
      vi.useRealTimers();
      await wh.close();
    }
  });
});

import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configFile } from './support/config-file.js';
import { runCli } from './support/run-cli.js';
import { udacityCfg } from './support/udacity-cfg.js';

// A Redshift configuration whose host does not exist: a dry run must not try to connect.
const REDSHIFT_CFG = `${udacityCfg('Passw0rd-Secret')}
[AWS]
KEY=AKIAEXAMPLEKEY
SECRET=wJalrXUtnFEMI-Secret
`;

describe('--dry-run', () => {
  it('prints the exact Redshift SQL of a reload, in order, without connecting', async () => {
    const result = await runCli(['reload', '--dry-run', '--config', configFile(REDSHIFT_CFG)]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).not.toContain('Passw0rd-Secret');
    expect(result.stdout).not.toContain('wJalrXUtnFEMI-Secret');
  });

  it('prints the exact Redshift Serverless SQL of a reload with --max-errors: the SYS views, never an STL or STV table', async () => {
    const serverless = REDSHIFT_CFG.replace(
      'dwhcluster.c1abcdefgh.us-west-2.redshift.amazonaws.com',
      'dwh.123456789012.us-west-2.redshift-serverless.amazonaws.com',
    );
    const result = await runCli(['reload', '--dry-run', '--max-errors', '100', '--config', configFile(serverless)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^-- sparkify reload --dry-run: redshift \(redshift dialect, Serverless\), dwhuser:\*\*\*\*@dwh\.123456789012\.us-west-2\.redshift-serverless\.amazonaws\.com:5439\/dwh\n/,
    );
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).not.toMatch(/\b(stl|stv|svl)_/i);
    // The same plan for a custom domain name that says SERVERLESS=true.
    const custom = REDSHIFT_CFG.replace("HOST='dwhcluster.c1abcdefgh.us-west-2.redshift.amazonaws.com'", 'HOST=warehouse.example.com\nSERVERLESS=true');
    const customPlan = (await runCli(['reload', '--dry-run', '--max-errors', '100', '--config', configFile(custom)])).stdout.split('\n');
    expect(customPlan[0]).toBe('-- sparkify reload --dry-run: redshift (redshift dialect, Serverless), dwhuser:****@warehouse.example.com:5439/dwh');
    expect(customPlan.slice(1)).toEqual(result.stdout.split('\n').slice(1));
  });

  it('prints the Redshift COPY statements of the extract stages, with MAXERROR and load_errors for --max-errors', async () => {
    const { stdout } = await runCli([
      'etl',
      '--dry-run',
      '--max-errors',
      '25',
      '--stage',
      'staging_events',
      '--stage',
      'staging_songs',
      '--config',
      configFile(REDSHIFT_CFG),
    ]);
    const loadErrors = (table: string) => `CREATE TABLE IF NOT EXISTS load_errors (
  table_name VARCHAR(32),
  source VARCHAR(1024),
  line BIGINT,
  reason VARCHAR(512),
  raw_line VARCHAR(1024)
)
DISTSTYLE EVEN;

DELETE FROM load_errors WHERE table_name = '${table}';

CREATE TABLE IF NOT EXISTS load_history (
  file_id INTEGER NOT NULL,
  table_name VARCHAR(32),
  location VARCHAR(1024),
  size_bytes BIGINT,
  modified_at TIMESTAMP,
  etag VARCHAR(64),
  row_count BIGINT,
  rejected_count BIGINT,
  run_kind VARCHAR(16),
  loaded_at TIMESTAMP
)
DISTSTYLE ALL;

DELETE FROM load_history WHERE table_name = '${table}';

CREATE TABLE IF NOT EXISTS load_digests (
  table_name VARCHAR(32),
  file_count BIGINT,
  last_file_id INTEGER,
  record_summary VARCHAR(256),
  digest VARCHAR(16)
)
DISTSTYLE ALL;

DELETE FROM load_digests WHERE table_name = '${table}';`;
    // The files its COPY loaded, as the server recorded them.
    const recordLoads = (
      table: string,
    ) => `INSERT INTO load_history (file_id, table_name, location, size_bytes, modified_at, etag, row_count, rejected_count, run_kind, loaded_at)
SELECT ROW_NUMBER() OVER (ORDER BY f.location), '${table}', f.location, f.size_bytes, f.modified_at, f.etag,
       f.lines - COALESCE(e.n, 0), COALESCE(e.n, 0), 'reload', GETDATE()
FROM (
  SELECT TRIM(file_name) AS location, SUM(bytes_scanned) AS size_bytes, MAX(file_last_modified) AS modified_at,
         MAX(REPLACE(TRIM(file_etag), '"', '')) AS etag, SUM(lines_scanned) AS lines
  FROM sys_load_detail
  WHERE query_id = (SELECT MAX(query_id) FROM sys_load_history
    WHERE session_id = pg_backend_pid() AND table_name = '${table}__build' AND status = 'completed')
  GROUP BY TRIM(file_name)
) f
LEFT JOIN (SELECT source, COUNT(*) AS n FROM load_errors WHERE table_name = '${table}' GROUP BY source) e ON e.source = f.location
WHERE f.lines - COALESCE(e.n, 0) > 0;`;
    const recordErrors = (table: string) => `INSERT INTO load_errors (table_name, source, line, reason, raw_line)
SELECT '${table}', TRIM(filename), line_number, TRIM(err_reason), TRIM(raw_line)
FROM stl_load_errors WHERE query = pg_last_copy_id();`;
    const eventColumns = `  artist VARCHAR(512),
  auth VARCHAR(32),
  firstname VARCHAR(256),
  gender VARCHAR(16),
  iteminsession INTEGER,
  lastname VARCHAR(256),
  length DOUBLE PRECISION,
  level VARCHAR(16),
  location VARCHAR(512),
  method VARCHAR(16),
  page VARCHAR(64),
  registration DOUBLE PRECISION,
  sessionid INTEGER,
  song VARCHAR(512),
  status INTEGER,
  ts BIGINT,
  useragent VARCHAR(1024),
  userid INTEGER,
  file_id INTEGER`;
    const songColumns = `  num_songs INTEGER,
  artist_id VARCHAR(32),
  artist_latitude DOUBLE PRECISION,
  artist_longitude DOUBLE PRECISION,
  artist_location VARCHAR(512),
  artist_name VARCHAR(512),
  song_id VARCHAR(32),
  title VARCHAR(512),
  duration DOUBLE PRECISION,
  "year" INTEGER,
  file_id INTEGER`;
    const buildTable = (table: string, columns: string) => `CREATE TABLE ${table}__build (\n${columns}\n)\nDISTSTYLE EVEN;`;
    expect(stdout.split('\n').slice(3).join('\n')).toBe(`CREATE TABLE IF NOT EXISTS sparkify_run_lock (pid INTEGER, holder VARCHAR(256), since TIMESTAMP);

BEGIN;

LOCK sparkify_run_lock;

DELETE FROM sparkify_run_lock WHERE pid NOT IN (SELECT process FROM stv_sessions);

SELECT pid, holder, TO_CHAR(since, 'YYYY-MM-DD HH24:MI:SS') AS since FROM sparkify_run_lock;

-- only if another run holds the lock (this one then stops, naming it)
ROLLBACK;

-- $1: the name this process gives the server, sparkify (pid N)
INSERT INTO sparkify_run_lock (pid, holder, since) VALUES (pg_backend_pid(), $1, GETDATE());

COMMIT;

BEGIN;

${buildTable('staging_events', eventColumns)}

${buildTable('staging_songs', songColumns)}

${loadErrors('staging_events')}

SELECT GETDATE() AS started;

COPY staging_events__build (artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page, registration, sessionid, song, status, ts, useragent, userid) FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
REGION 'us-west-2'
TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF
MAXERROR 25;

SELECT pg_last_copy_count() AS n;

${recordErrors('staging_events')}

${recordLoads('staging_events')}

${loadErrors('staging_songs')}

SELECT GETDATE() AS started;

COPY staging_songs__build (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, "year") FROM 's3://udacity-dend/song_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 'auto' ACCEPTINVCHARS
REGION 'us-west-2'
TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF
MAXERROR 25;

SELECT pg_last_copy_count() AS n;

${recordErrors('staging_songs')}

${recordLoads('staging_songs')}

DROP TABLE IF EXISTS staging_songs;

DROP TABLE IF EXISTS staging_events;

ALTER TABLE staging_events__build RENAME TO staging_events;

ALTER TABLE staging_songs__build RENAME TO staging_songs;

COMMIT;

DELETE FROM sparkify_run_lock WHERE pid = pg_backend_pid();
`);
    const strict = await runCli(['etl', '--dry-run', '--stage', 'staging_events', '--config', configFile(REDSHIFT_CFG)]);
    expect(strict.stdout).not.toContain('MAXERROR');
    expect(strict.stdout).not.toContain('stl_load_errors');
    expect(await runCli(['etl', '--dry-run', '--max-errors', 'some', '--config', configFile(REDSHIFT_CFG)])).toMatchObject({
      code: 2,
      stderr: 'sparkify etl: --max-errors takes a whole number from 0 to 999999999, not "some"\n',
    });
    expect(await runCli(['reload', '--dry-run', '--max-errors', '-1', '--config', configFile(REDSHIFT_CFG)])).toMatchObject({
      code: 2,
      stderr: "sparkify reload: Option '--max-errors' argument is ambiguous (see sparkify reload --help)\n",
    });
  });

  it('refuses a --max-errors above 100,000 on Redshift before connecting, in one line, and takes it on PostgreSQL', async () => {
    const redshift = configFile(REDSHIFT_CFG);
    const limit = (command: string) =>
      `sparkify ${command}: --max-errors 100001 is above Redshift's limit: its COPY leaves out at most 100,000 bad rows (MAXERROR)\n`;
    expect(await runCli(['reload', '--dry-run', '--max-errors', '100001', '--config', redshift])).toEqual({ code: 2, stdout: '', stderr: limit('reload') });
    // Without --dry-run too: the host does not exist, and a connection would fail with 1.
    expect(await runCli(['etl', '--max-errors', '100001', '--config', redshift])).toEqual({ code: 2, stdout: '', stderr: limit('etl') });
    const atLimit = await runCli(['etl', '--dry-run', '--stage', 'staging_songs', '--max-errors', '100000', '--config', redshift]);
    expect(atLimit.code).toBe(0);
    expect(atLimit.stdout).toContain('\nTRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF\nMAXERROR 100000;\n');
    const postgres = await runCli(['reload', '--dry-run', '--max-errors', '100001', '--config', configFile('[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\n')]);
    expect(postgres.code).toBe(0);
    expect(postgres.stdout).toContain('-- only if rows were left out (up to 100001 with --max-errors): they are streamed in\nCOPY load_errors__build');
  });

  it('quotes every config value: a quote in the ARN or a path cannot end the statement', async () => {
    const evil = REDSHIFT_CFG.replace("ARN='arn:aws:iam::123456789012:role/dwhRole'", "ARN=arn:aws:iam::1:role/x'; DROP TABLE users; --").replace(
      "LOG_DATA='s3://udacity-dend/log_data'",
      "LOG_DATA=s3://udacity-dend/it's'; DROP TABLE songs; --",
    );
    const { stdout } = await runCli(['etl', '--dry-run', '--stage', 'staging_events', '--config', configFile(evil)]);
    expect(stdout).toContain(
      `COPY staging_events__build (artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page, registration, sessionid, song, status, ts, useragent, userid) FROM 's3://udacity-dend/it''s''; DROP TABLE songs; --'\nIAM_ROLE 'arn:aws:iam::1:role/x''; DROP TABLE users; --'\n`,
    );
  });

  it('prints the same statements when a password or AWS secret is also a table or engine name as with a random one', async () => {
    // Both dialects; the PostgreSQL server named does not exist either.
    const postgresCfg = (secret: string) =>
      `[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\nDB_PASSWORD=${secret}\n[AWS]\nKEY=AKIAEXAMPLEKEY\nSECRET=${secret}\nSESSION_TOKEN=${secret}\n`;
    const redshiftCfg = (secret: string) => `${udacityCfg(secret)}\n[AWS]\nKEY=AKIAEXAMPLEKEY\nSECRET=${secret}\nSESSION_TOKEN=${secret}\n`;
    const random = `r4Nd0m/${Math.random().toString(36).slice(2)}+X`;
    // One folder: the PostgreSQL plan names the generated sample's folder beside the file.
    const file = configFile('');
    for (const cfg of [postgresCfg, redshiftCfg]) {
      for (const command of [['reset'], ['etl'], ['reload'], ['etl', '--stage', 'songplays']]) {
        const plan = async (secret: string) => {
          writeFileSync(file, cfg(secret));
          return (await runCli([...command, '--dry-run', '--config', file])).stdout;
        };
        const expected = await plan(random);
        expect(expected).not.toContain(random);
        for (const secret of ['songplays', 'postgres', 'redshift']) expect(await plan(secret), `${command.join(' ')} with ${secret}`).toBe(expected);
      }
    }
    const songplays = await runCli(['etl', '--dry-run', '--stage', 'songplays', '--config', configFile(redshiftCfg('songplays'))]);
    expect(songplays.stdout).toMatch(
      /^-- sparkify etl --dry-run: redshift \(redshift dialect, provisioned cluster\), dwhuser:\*\*\*\*@dwhcluster\.c1abcdefgh\.us-west-2\.redshift\.amazonaws\.com:5439\/dwh\n/,
    );
    expect(songplays.stdout).toContain('\nDROP TABLE IF EXISTS songplays;\n\nALTER TABLE songplays__build RENAME TO songplays;\n');
    const postgres = await runCli(['reset', '--dry-run', '--config', configFile(postgresCfg('postgres'))]);
    expect(postgres.stdout).toMatch(/^-- sparkify reset --dry-run: postgres \(postgres dialect\), postgres:\*\*\*\*@127\.0\.0\.1:1\/sparkify\n/);
  });

  it('on the embedded engine, checkpoints from a second connection just before the swap; on a PostgreSQL server it does not', async () => {
    const swapStart = '\n\nSAVEPOINT swap;\n';
    const embedded = await runCli(['reload', '--dry-run', '--config', configFile("[CLUSTER]\nHOST=''\n")]);
    expect(embedded.stdout).toContain(
      `;\n\n-- on a second connection, outside the transaction\n-- so that the commit has little left to write while readers wait\nCHECKPOINT;${swapStart}`,
    );
    const postgres = await runCli(['reload', '--dry-run', '--config', configFile('[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\n')]);
    expect(postgres.stdout).toContain(swapStart);
    expect(postgres.stdout).not.toContain('CHECKPOINT');
  });

  it('prints the PostgreSQL plan of reset without connecting (the server named does not exist)', async () => {
    const { code, stdout } = await runCli(['reset', '--dry-run', '--config', configFile('[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\n')]);
    expect(code).toBe(0);
    const statements = stdout
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n')
      .split(';\n')
      .map((s) => s.trim())
      .filter(Boolean);
    // The run lock is taken first and given back last.
    expect(statements[0]).toBe('SELECT pg_try_advisory_lock(95732209) AS locked');
    expect(statements[1]).toMatch(/^SELECT a\.pid, a\.application_name/);
    expect(stdout).toContain('-- only if another run holds the lock (this one then stops, naming it)\nSELECT a.pid');
    expect(statements[2]).toBe('BEGIN');
    expect(statements.slice(-2)).toEqual(['COMMIT', 'SELECT pg_advisory_unlock(95732209)']);
    expect(statements.filter((s) => s.startsWith('CREATE UNLOGGED TABLE'))).toHaveLength(2);
    expect(statements.filter((s) => s.startsWith('CREATE TABLE'))).toHaveLength(8);
    expect(statements.filter((s) => s.startsWith('CREATE') && !s.includes('__build '))).toEqual([]);
    expect(statements.filter((s) => s.startsWith('DROP TABLE'))).toHaveLength(10);
    expect(statements.filter((s) => / RENAME TO /.test(s) && s.startsWith('ALTER TABLE'))).toHaveLength(10);
  });
});

import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUERIES } from '../src/queries/catalog.js';
import { MINI } from './support/fixtures.js';
import { runCli } from './support/run-cli.js';
import { logInAs, tempDir, writeTestConfig } from './support/warehouse.js';

/** The table of row counts the mini fixture loads to, as `sparkify status` prints it. */
const MINI_COUNTS = [
  'table                   rows',
  'staging_events            12',
  'staging_songs              6',
  'songplays                  8',
  'users                      3',
  'songs                      5',
  'artists                    3',
  'time                       7',
];

describe('headless commands', () => {
  let cfg: string;
  let database: string;
  let password: string;

  beforeAll(async () => {
    ({ file: cfg, database } = await writeTestConfig(MINI));
    password = /DB_PASSWORD=(.*)/.exec(readFileSync(cfg, 'utf8'))![1]!;
  });

  it('reload prints the reset, one line per stage in the manner of dbt, and a summary', async () => {
    const { code, stdout, stderr } = await runCli(['reload', '--config', cfg]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Reset: created 10 new tables beside the live ones in \d+\.\d\ds$/);
    expect(lines.slice(1, 10).map((l) => l.replace(/ in \d+\.\d\ds$/, ''))).toEqual([
      '1 of 8 OK staging_events ....................... 12 rows, 4.5 KB',
      '2 of 8 OK staging_songs ........................ 6 rows, 1.5 KB',
      '3 of 8 OK songplays ............................ 8 rows',
      '4 of 8 OK users ................................ 3 rows',
      '5 of 8 OK songs ................................ 5 rows',
      '6 of 8 OK artists .............................. 3 rows',
      '7 of 8 OK time ................................. 7 rows',
      'Keys: built the primary keys, foreign keys and indexes',
      '8 of 8 OK checks ............................... 21 checks passed',
    ]);
    expect(lines[10]).toMatch(/^Swap: 10 new tables replaced the live ones in \d+\.\d\ds$/);
    expect(lines[11]).toMatch(/^Completed 8 of 8 stages in \d+\.\d\ds: PASS$/);
    expect(lines).toHaveLength(12);
  });

  it('etl --stage runs the named stages only', async () => {
    const { code, stderr } = await runCli(['etl', '--stage', 'users', '--stage', 'checks', '--config', cfg]);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^1 of 2 OK users \.+ 3 rows in \d+\.\d\ds\nKeys: built .*\n2 of 2 OK checks \.+ 21 checks passed in \d+\.\d\ds\nSwap: 1 new table replaced the live one in \d+\.\d\ds\nCompleted 2 of 2 stages/,
    );
  });

  it('status shows the engine, the masked connection and the row counts', async () => {
    const { code, stdout } = await runCli(['status', '--config', cfg]);
    expect(code).toBe(0);
    expect(stdout).not.toContain(password);
    expect(stdout).toMatch(/^engine {6}postgres \(PostgreSQL 18\.\d+, postgres dialect\)\n/);
    expect(stdout).toMatch(new RegExp(`\\nconnection  sparkify:\\*\\*\\*\\*@127\\.0\\.0\\.1:\\d+/${database}\\n`));
    expect(stdout).toContain(MINI_COUNTS.join('\n'));
  });

  it('query prints a cli-table3 table with right-aligned numbers', async () => {
    const { code, stdout, stderr } = await runCli(['query', 'top-songs', '--config', cfg]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        '┌─────────────┬────────────┬───────┐',
        '│ title       │ artist     │ plays │',
        '├─────────────┼────────────┼───────┤',
        '│ Lonely      │ Cé Solo    │     2 │',
        '│ Twin        │ Twins Band │     2 │',
        "│ Second      │ Ana D'Arc  │     1 │",
        '│ Sé "Quoted" │ Ana D\'Arc  │     1 │',
        '└─────────────┴────────────┴───────┘',
        '',
      ].join('\n'),
    );
    expect(stderr).toMatch(/^Top songs: 4 rows in \d+\.\d\ds\n$/);
  });

  it('query --format csv and json', async () => {
    const csv = await runCli(['query', 'top-songs', '--format', 'csv', '--config', cfg]);
    expect(csv.stdout).toBe('title,artist,plays\r\nLonely,Cé Solo,2\r\nTwin,Twins Band,2\r\nSecond,Ana D\'Arc,1\r\n"Sé ""Quoted""",Ana D\'Arc,1\r\n');
    const json = await runCli(['query', 'plays-by-hour', '--format', 'json', '--config', cfg]);
    expect(JSON.parse(json.stdout)).toEqual([
      { hour: 0, plays: 2 },
      { hour: 1, plays: 3 },
      { hour: 2, plays: 1 },
      { hour: 3, plays: 2 },
    ]);
    const rate = await runCli(['query', 'song-match-rate', '-f', 'json', '--config', cfg]);
    expect(JSON.parse(rate.stdout)).toEqual([{ plays: 8, matched: 6, match_pct: 75 }]);
  });

  it('every canned query runs', async () => {
    const values: Record<string, string> = { artist: "ana d'arc", user: '10' };
    for (const query of QUERIES) {
      const params = (query.params ?? []).flatMap((p) => ['--param', `${p.name}=${values[p.name]}`]);
      const { code, stdout } = await runCli(['query', query.name, ...params, '--format', 'json', '--config', cfg]);
      expect(code, query.name).toBe(0);
      expect((JSON.parse(stdout) as unknown[]).length, query.name).toBeGreaterThan(0);
    }
  });

  it('query parameters are bind values: a quote in one is data, and every table stays', async () => {
    const ana = await runCli(['query', 'artist-plays', '--param', "artist=ANA D'ARC", '-f', 'csv', '--config', cfg]);
    expect(ana).toMatchObject({ code: 0, stdout: 'artist,title,plays,listeners\r\nAna D\'Arc,Second,1,1\r\nAna D\'Arc,"Sé ""Quoted""",1,1\r\n' });
    const evil = await runCli(['query', 'artist-plays', '--param', "artist='; DROP TABLE users; --", '-f', 'json', '--config', cfg]);
    expect(evil).toMatchObject({ code: 0, stdout: '[]\n' });
    const status = await runCli(['status', '--config', cfg]);
    expect(status.stdout).toContain('users                      3\n');
    expect(status.stdout).toContain('songplays                  8\n');
    expect(await runCli(['query', 'user-history', '--param', 'user=1; DROP TABLE songs', '--config', cfg])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sparkify query: user must be a whole number, got "1; DROP TABLE songs"\n',
    });
    expect((await runCli(['query', 'user-history', '--config', cfg])).stderr).toBe('sparkify query: user-history needs --param user=… (the user_id)\n');
    expect((await runCli(['query', 'top-songs', '--param', 'limit=5', '--config', cfg])).stderr).toBe(
      'sparkify query: top-songs has no parameter "limit" (it takes none)\n',
    );
    expect((await runCli(['query', 'artist-plays', '--sql'])).stdout).toMatch(/^-- \$1: artist \(text\): the artist, as named in the song files\nSELECT /);
  });

  it('query --list names at least ten queries', async () => {
    const { code, stdout } = await runCli(['query', '--list']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines[0]).toBe('top-songs          Top songs: The 10 most played songs (plays matched to a song file).');
  });

  it('a failing run exits 1 and says where it failed', async () => {
    const data = tempDir();
    const broken = (await writeTestConfig(data)).file;
    expect((await runCli(['reset', '--yes', '--config', broken])).code).toBe(0);
    const { code, stderr } = await runCli(['etl', '--config', broken]);
    expect(code).toBe(1);
    expect(stderr).toContain(`1 of 8 FAIL staging_events`);
    expect(stderr).toContain(`  error: ${data}/log_json_path.json: no such file or folder\n`);
    expect(stderr).toMatch(/Failed at staging_events after \d+\.\d\ds: rolled back, the warehouse is as it was before the run\n$/);
  });
});

describe('a password that is also a word of the output', () => {
  it('postgres as the user and the password: a reload and status print the engine, dialect and names as they are', async () => {
    const { file, database } = await writeTestConfig(MINI);
    await logInAs(file, 'postgres', 'postgres');
    const reload = await runCli(['reload', '--config', file]);
    expect(reload.code).toBe(0);
    expect(reload.stderr).toMatch(/\n3 of 8 OK songplays \.+ 8 rows in \d+\.\d\ds\n[^]*Completed 8 of 8 stages in \d+\.\d\ds: PASS\n$/);
    const { code, stdout } = await runCli(['status', '--config', file]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^engine {6}postgres \(PostgreSQL 18\.\d+, postgres dialect\)$/);
    expect(lines[2]).toBe(`connection  postgres:****@127.0.0.1:${/DB_PORT=(\d+)/.exec(readFileSync(file, 'utf8'))![1]}/${database}`);
    expect(lines.slice(7, 16)).toEqual([...MINI_COUNTS, 'load_errors                0']);
  });

  it('songplays as the password: a server error naming the table songplays prints it', async () => {
    const { file } = await writeTestConfig(MINI);
    expect((await runCli(['reload', '--config', file])).code).toBe(0);
    // A second login, without rights on the tables the first one made.
    await logInAs(file, 'reader_of_songplays', 'songplays', { owner: false });
    expect(await runCli(['query', 'plays-by-hour', '--config', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sparkify: permission denied for table songplays\n',
    });
    const etl = await runCli(['etl', '--stage', 'checks', '--config', file]);
    expect(etl.code).toBe(1);
    expect(etl.stderr).toContain('\n  error: permission denied for table songplays\n');
  });
});

describe('usage and configuration errors', () => {
  it('exit 2 with one line', async () => {
    expect(await runCli(['frobnicate'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sparkify: unknown command "frobnicate" (commands: reset, etl, reload, status, query, sql, generate; see sparkify --help)\n',
    });
    expect(await runCli(['etl', '--stage', 'bogus'])).toMatchObject({
      code: 2,
      stderr: 'sparkify etl: unknown stage "bogus" (stages: staging_events, staging_songs, songplays, users, songs, artists, time, checks)\n',
    });
    expect(await runCli(['etl', '--bogus'])).toMatchObject({ code: 2, stderr: "sparkify etl: Unknown option '--bogus' (see sparkify etl --help)\n" });
    expect(await runCli(['query', 'nope'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^sparkify query: unknown query "nope" \(queries: top-songs, /),
    });
    expect(await runCli(['query', 'top-songs', '--format', 'xml'])).toMatchObject({
      code: 2,
      stderr: 'sparkify query: --format must be table, csv or json, got "xml"\n',
    });
    expect(await runCli(['reset', '--config', '/nonexistent/dwh.cfg'])).toMatchObject({
      code: 2,
      stderr: 'sparkify: /nonexistent/dwh.cfg: no such file (copy dwh.cfg.example to start one)\n',
    });
  });

  it('reset asks for --yes when there is no terminal to ask on', async () => {
    const dir = tempDir();
    expect(await runCli(['reset'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: 'sparkify reset: drops every table; pass --yes to confirm (there is no terminal to ask on)\n',
    });
  });

  it('a bad value in dwh.cfg names file, section, key and value', async () => {
    const dir = tempDir();
    writeFileSync(`${dir}/dwh.cfg`, '[CLUSTER]\nHOST=localhost\nDB_PORT=abc\n');
    expect(await runCli(['status'], { cwd: dir })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sparkify: dwh.cfg: [CLUSTER] DB_PORT must be a port number, got "abc"\n',
    });
  });

  it('without a command and without a terminal, prints the help and exits 2', async () => {
    const { code, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^sparkify: the Sparkify music-analytics warehouse in your terminal\n/);
    expect(stderr).toMatch(/no command given and no terminal for the interactive app\n$/);
  });

  it('with CI set, even on a terminal, never opens the app', async () => {
    const { PassThrough } = await import('node:stream');
    const { main } = await import('../src/commands/main.js');
    const tty = () => Object.assign(new PassThrough(), { isTTY: true });
    const stderr = tty();
    let err = '';
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await main([], { stdout: tty(), stderr, stdin: tty(), env: { CI: 'true' }, cwd: process.cwd(), signal: new AbortController().signal });
    expect(code).toBe(2);
    expect(err).toMatch(/no command given and no terminal for the interactive app\n$/);
  });

  it('--help and --version exit 0 on stdout', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/^sparkify: the Sparkify/);
    expect((await runCli(['etl', '--help'])).stdout).toMatch(/^Usage: sparkify etl \[--stage NAME\]/);
    expect(await runCli(['--version'])).toEqual({
      code: 0,
      stdout: `${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`,
      stderr: '',
    });
  });
});

describe('connection errors', () => {
  it('a refused connection exits 1 with the cause and a hint', async () => {
    const dir = tempDir();
    writeFileSync(`${dir}/dwh.cfg`, '[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\nDB_PASSWORD=hunter2secret\n');
    expect(await runCli(['status'], { cwd: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sparkify: cannot connect to 127.0.0.1:1: connection refused (is the server running and is [CLUSTER] DB_PORT right?)\n',
    });
  });

  it('a wrong password exits 1 and never shows the password', async () => {
    const { file } = await writeTestConfig(MINI);
    const text = readFileSync(file, 'utf8').replace(/DB_PASSWORD=.*/, 'DB_PASSWORD=wrong-Secret-42');
    writeFileSync(file, text);
    const result = await runCli(['status', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sparkify: cannot connect to 127\.0\.0\.1:\d+: authentication failed for user "sparkify" \(check \[CLUSTER\] DB_USER and DB_PASSWORD\)\n$/,
    );
    expect(result.stderr + result.stdout).not.toContain('wrong-Secret-42');
  });

  it('a missing database, SSL the server lacks, an unknown host and a silent server each get their cause and hint', async () => {
    const { file } = await writeTestConfig(MINI);
    const text = readFileSync(file, 'utf8');
    const port = /DB_PORT=(\d+)/.exec(text)![1]!;
    const withCluster = (change: (t: string) => string) => {
      writeFileSync(file, change(text));
      return runCli(['status', '--config', file]);
    };
    expect(await withCluster((t) => t.replace(/DB_NAME=.*/, 'DB_NAME=no_such_db'))).toEqual({
      code: 1,
      stdout: '',
      stderr: `sparkify: cannot connect to 127.0.0.1:${port}: database "no_such_db" does not exist (check [CLUSTER] DB_NAME)\n`,
    });
    expect(await withCluster((t) => t.replace('[CLUSTER]', '[CLUSTER]\nSSLMODE=require'))).toEqual({
      code: 1,
      stdout: '',
      stderr: `sparkify: cannot connect to 127.0.0.1:${port}: The server does not support SSL connections (check [CLUSTER] SSLMODE)\n`,
    });
    expect(await withCluster((t) => t.replace('HOST=127.0.0.1', 'HOST=no-such-host.invalid'))).toEqual({
      code: 1,
      stdout: '',
      stderr: `sparkify: cannot connect to no-such-host.invalid:${port}: host not found (check [CLUSTER] HOST)\n`,
    });
    // A server that takes the connection and never answers, as a firewall that drops packets looks.
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    try {
      const started = performance.now();
      expect(await withCluster((t) => t.replace(/DB_PORT=\d+/, `DB_PORT=${silentPort}\nCONNECT_TIMEOUT=1`))).toEqual({
        code: 1,
        stdout: '',
        stderr: `sparkify: cannot connect to 127.0.0.1:${silentPort}: no answer within 1s (check [CLUSTER] HOST and DB_PORT, or raise CONNECT_TIMEOUT)\n`,
      });
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });

  it('a query before the schema exists says to reload', async () => {
    const { file } = await writeTestConfig(MINI);
    const result = await runCli(['query', 'top-songs', '--config', file]);
    expect(result).toMatchObject({
      code: 1,
      stderr: 'sparkify: relation "songplays" does not exist: the schema is not created yet (run sparkify reload, or sparkify reset first)\n',
    });
  });
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MINI } from './support/fixtures.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { spawnCli } from './support/spawn-cli.js';
import { tempDir } from './support/temp-dir.js';
import { writeTestConfig } from './support/warehouse.js';

/** The built CLI: `sparkify sql ARGS --config cfg`, with `input` on stdin; exit code and output. */
async function sql(cfg: string, args: string[], input?: string) {
  const run = spawnCli(['sql', ...args, '--config', cfg], {}, undefined, input);
  const code = await run.exited;
  return { code, ...run.output };
}

/** A .sql file in a new folder; its path. */
function sqlFile(text: string, name = 'script.sql'): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

const USERS_AND_LEVELS =
  'SELECT user_id, first_name, level FROM users ORDER BY user_id; SELECT level, COUNT(*) AS plays FROM songplays GROUP BY level ORDER BY level';

describe('sparkify sql, the built CLI on the mini warehouse (test server)', () => {
  let cfg: string;
  beforeAll(async () => {
    cfg = await loadedConfig();
  });

  it('prints each result as a table with its row count, a blank line between them', async () => {
    const run = await sql(cfg, [USERS_AND_LEVELS]);
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '┌─────────┬────────────┬───────┐',
        '│ user_id │ first_name │ level │',
        '├─────────┼────────────┼───────┤',
        '│      10 │ Ana        │ paid  │',
        '│      20 │ Bo         │ paid  │',
        '│      30 │ Cy         │ free  │',
        '└─────────┴────────────┴───────┘',
        '(3 rows)',
        '',
        '┌───────┬───────┐',
        '│ level │ plays │',
        '├───────┼───────┤',
        '│ free  │     4 │',
        '│ paid  │     4 │',
        '└───────┴───────┘',
        '(2 rows)',
        '',
      ].join('\n'),
    });
  });

  it('as CSV: quotes where needed, NULL empty, each result after a blank line; the tags on stderr', async () => {
    const run = await sql(cfg, [
      `SELECT s.title, a.name, sp.start_time FROM songplays sp JOIN songs s USING (song_id) JOIN artists a ON a.artist_id = sp.artist_id ORDER BY sp.start_time;
       SELECT title, year FROM songs WHERE year IS NULL`,
      '--format',
      'csv',
    ]);
    expect(run).toEqual({
      code: 0,
      stderr: 'SELECT 6\nSELECT 1\n',
      stdout:
        'title,name,start_time\r\n"Sé ""Quoted""",Ana D\'Arc,2018-11-01 00:01:00.123\r\nTwin,Twins Band,2018-11-01 01:00:00.5\r\n' +
        "Lonely,Cé Solo,2018-11-01 03:00:00.999\r\nTwin,Twins Band,2018-11-01 03:01:40\r\nSecond,Ana D'Arc,2018-11-02 00:00:00\r\nLonely,Cé Solo,2018-11-02 02:00:00\r\n" +
        '\r\ntitle,year\r\nSecond,\r\n',
    });
  });

  it('as JSON: an array of objects per result, numbers kept exact (a numeric past 15 digits as its text)', async () => {
    const run = await sql(cfg, [
      'SELECT title, year, duration FROM songs WHERE year > 2000 ORDER BY title; SELECT 12345678901234567890.5::numeric AS big, 1.50::numeric AS small, 9007199254740993::bigint AS id',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('SELECT 2\nSELECT 1\n');
    expect(run.stdout).toBe(
      `${JSON.stringify(
        [
          { title: 'Lonely', year: 2010, duration: 99.9 },
          { title: 'Sé "Quoted"', year: 2001, duration: 200.5 },
        ],
        null,
        2,
      )}\n\n${JSON.stringify([{ big: '12345678901234567890.5', small: 1.5, id: '9007199254740993' }], null, 2)}\n`,
    );
  });

  it('-f runs a file statement by statement: each result shown, tags for statements without rows, an empty result as a table', async () => {
    const file = sqlFile(`-- plays per level, then who is free
SELECT level, COUNT(*) AS plays
  FROM songplays
 GROUP BY level ORDER BY level;

SET TIME ZONE 'UTC';
SELECT first_name FROM users WHERE level = 'free';
SELECT song_id FROM songs WHERE title = 'nothing like it'
`);
    const run = await sql(cfg, ['-f', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        '┌───────┬───────┐',
        '│ level │ plays │',
        '├───────┼───────┤',
        '│ free  │     4 │',
        '│ paid  │     4 │',
        '└───────┴───────┘',
        '(2 rows)',
        '',
        'SET',
        '',
        '┌────────────┐',
        '│ first_name │',
        '├────────────┤',
        '│ Cy         │',
        '└────────────┘',
        '(1 row)',
        '',
        '┌─────────┐',
        '│ song_id │',
        '├─────────┤',
        '└─────────┘',
        '(0 rows)',
        '',
      ].join('\n'),
    );
  });

  it('-f stops at the first error, naming the file and the line and column of the fault in it; exit 1', async () => {
    const file = sqlFile('SELECT 1 AS one;\nSELECT 2 AS two;\n\nSELECT title\n  FROM songs\n WHERE yeer > 2000;\nSELECT 3 AS three;\n', 'plays.sql');
    const run = await sql(cfg, ['-f', file, '--format', 'csv']);
    expect(run).toEqual({
      code: 1,
      stdout: 'one\r\n1\r\n\r\ntwo\r\n2\r\n',
      stderr: `SELECT 1\nSELECT 1\nsparkify sql: ${file}, line 6, column 8: column "yeer" does not exist (Perhaps you meant to reference the column "songs.year".)\n`,
    });
  });

  it('a syntax error names its line and column in the argument; an error the server places nowhere names the statement', async () => {
    expect(await sql(cfg, ['SELECT 1 AS one;\n  SELEC 2'])).toMatchObject({
      code: 1,
      stderr: 'sparkify sql: line 2, column 3: syntax error at or near "SELEC"\n',
    });
    // Under a cursor's DECLARE the position still counts from the statement's own start.
    expect(await sql(cfg, ['SELECT 1;\nSELECT nope FROM songs'])).toMatchObject({
      code: 1,
      stderr: 'sparkify sql: line 2, column 8: column "nope" does not exist\n',
    });
    expect(await sql(cfg, ['SELECT 1;\n\nSELECT 1 / (COUNT(*) - 8) FROM songplays'])).toMatchObject({
      code: 1,
      stderr: 'sparkify sql: the statement at line 3, column 1: division by zero\n',
    });
  });

  it('reads the statements from stdin with - (or -f -), and names stdin in an error', async () => {
    const stdin = await sql(cfg, ['-', '--format', 'csv'], 'SELECT COUNT(*) AS users FROM users;\nSELECT COUNT(*) AS songs FROM songs;\n');
    expect(stdin).toEqual({ code: 0, stdout: 'users\r\n3\r\n\r\nsongs\r\n5\r\n', stderr: 'SELECT 1\nSELECT 1\n' });
    expect(await sql(cfg, ['-f', '-', '--format', 'csv'], 'SELECT 7 AS n')).toMatchObject({ code: 0, stdout: 'n\r\n7\r\n' });
    expect(await sql(cfg, ['-'], 'SELECT 1;\nSELECT * FROM nowhere;')).toMatchObject({
      code: 1,
      stderr: 'sparkify sql: stdin, line 2, column 15: relation "nowhere" does not exist\n',
    });
  });

  it('refuses a write without --write, with one line naming --write, and changes nothing', async () => {
    const insert = await sql(cfg, [
      "SELECT 1 AS before;\nINSERT INTO users (user_id, first_name, last_name, gender, level) VALUES (99, 'Zed', 'Z', 'M', 'free')",
    ]);
    expect(insert.code).toBe(1);
    expect(insert.stderr).toBe(
      'sparkify sql: the statement at line 2, column 1: cannot execute INSERT in a read-only transaction (statements run read-only: --write allows writes)\n',
    );
    expect(await sql(cfg, ['CREATE TABLE notes (n INT)'])).toMatchObject({
      code: 1,
      stderr:
        'sparkify sql: the statement at line 1, column 1: cannot execute CREATE TABLE in a read-only transaction (statements run read-only: --write allows writes)\n',
    });
    // Each statement has a read-only transaction of its own: switching one to read-write leaves the next read-only.
    expect(await sql(cfg, ["SET TRANSACTION READ WRITE;\nDELETE FROM users WHERE level = 'free'"])).toEqual({
      code: 1,
      stdout: 'SET\n',
      stderr:
        'sparkify sql: the statement at line 2, column 1: cannot execute DELETE in a read-only transaction (statements run read-only: --write allows writes)\n',
    });
    // VACUUM cannot run in the read-only transaction; it runs with --write, outside one.
    expect(await sql(cfg, ['VACUUM users'])).toMatchObject({
      code: 1,
      stderr:
        'sparkify sql: the statement at line 1, column 1: VACUUM cannot run inside a transaction block (statements run read-only: --write allows writes)\n',
    });
    expect(await sql(cfg, ['SELECT COUNT(*) AS n FROM users', '--format', 'csv'])).toMatchObject({ stdout: 'n\r\n3\r\n' });
  });

  it('a statement past --timeout is cancelled by the server: one line naming the timeout, exit 1, at once', async () => {
    const started = Date.now();
    const run = await sql(cfg, ['SELECT pg_sleep(5)', '--timeout', '200ms']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sparkify sql: the statement at line 1, column 1: ran past its timeout of 200ms and was cancelled by the server (--timeout sets it; 0: no limit)\n',
    });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(await sql(cfg, ["SELECT 'woke' AS slept FROM pg_sleep(0.3)", '--timeout', '0', '--format', 'csv'])).toMatchObject({
      code: 0,
      stdout: 'slept\r\nwoke\r\n',
    });
  });

  it('shows at most 10,000 rows as a table, and says when there are more', async () => {
    const all = await sql(cfg, ['SELECT g FROM generate_series(1, 10000) g']);
    expect(all.stdout.split('\n').slice(-4)).toEqual(['│ 10,000 │', '└────────┘', '(10,000 rows)', '']);
    const more = await sql(cfg, ['SELECT g FROM generate_series(1, 10001) g; SELECT 1 AS after']);
    expect(more.code).toBe(0);
    expect(more.stdout.split('\n').slice(10_002, 10_007)).toEqual([
      '│ 10,000 │',
      '└────────┘',
      '(the first 10,000 rows; it has more: --format csv or json gives them all)',
      '',
      '┌───────┐',
    ]);
  });
});

describe('sparkify sql --write (built CLI, a database of its own)', () => {
  it("commits each statement as it ends; a script's own BEGIN … ROLLBACK is its own; the first failure stops it, what ran before kept", async () => {
    const { file: cfg } = await writeTestConfig(MINI);
    const made = await sql(cfg, [
      "CREATE TABLE notes (id INT, body TEXT);\nINSERT INTO notes VALUES (1, 'a'), (2, 'b'), (3, NULL);\nUPDATE notes SET body = 'c' WHERE id = 3 RETURNING id, body;\nDELETE FROM notes WHERE id = 1",
      '--write',
    ]);
    expect(made).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'CREATE TABLE',
        '',
        'INSERT 0 3',
        '',
        '┌────┬──────┐',
        '│ id │ body │',
        '├────┼──────┤',
        '│  3 │ c    │',
        '└────┴──────┘',
        '(1 row)',
        '',
        'DELETE 1',
        '',
      ].join('\n'),
    });
    const notes = async () => (await sql(cfg, ['SELECT id, body FROM notes ORDER BY id', '--format', 'csv'])).stdout;
    expect(await notes()).toBe('id,body\r\n2,b\r\n3,c\r\n');

    const rolledBack = await sql(cfg, ["BEGIN;\nINSERT INTO notes VALUES (4, 'd');\nSELECT COUNT(*) AS n FROM notes;\nROLLBACK", '--write', '--format', 'csv']);
    expect(rolledBack).toEqual({ code: 0, stdout: 'n\r\n3\r\n', stderr: 'BEGIN\nINSERT 0 1\nSELECT 1\nROLLBACK\n' });
    expect(await notes()).toBe('id,body\r\n2,b\r\n3,c\r\n');

    const failed = await sql(cfg, ["INSERT INTO notes VALUES (5, 'e'); INSERT INTO notes VALUES ('x', 'f'); INSERT INTO notes VALUES (6, 'g')", '--write']);
    expect(failed).toEqual({
      code: 1,
      stdout: 'INSERT 0 1\n',
      stderr: 'sparkify sql: line 1, column 62: invalid input syntax for type integer: "x"\n',
    });
    expect(await notes()).toBe('id,body\r\n2,b\r\n3,c\r\n5,e\r\n');
    expect(await sql(cfg, ['VACUUM notes', '--write'])).toEqual({ code: 0, stdout: 'VACUUM\n', stderr: '' });

    // Queries no cursor takes run whole: a WITH that writes, SELECT … INTO; without --write, refused as writes (PostgreSQL names the SELECT).
    const movedSql = 'WITH gone AS (DELETE FROM notes WHERE id = 2 RETURNING id) SELECT COUNT(*) AS moved FROM gone';
    expect(await sql(cfg, [movedSql])).toMatchObject({
      code: 1,
      stderr:
        'sparkify sql: the statement at line 1, column 1: cannot execute SELECT in a read-only transaction (statements run read-only: --write allows writes)\n',
    });
    expect(await sql(cfg, [`${movedSql}; SELECT * INTO notes_copy FROM notes`, '--write', '--format', 'csv'])).toEqual({
      code: 0,
      stdout: 'moved\r\n1\r\n',
      stderr: 'SELECT 1\nSELECT 2\n',
    });
    expect(await notes()).toBe('id,body\r\n3,c\r\n5,e\r\n');
  });
});

describe('sparkify sql, bad usage: one line, exit 2, before connecting', () => {
  // A config whose server does not exist: a usage error must come first.
  const nowhere = () => {
    const file = path.join(tempDir(), 'dwh.cfg');
    writeFileSync(file, '[CLUSTER]\nHOST=127.0.0.1\nDB_NAME=x\nDB_USER=x\nDB_PASSWORD=x\nDB_PORT=1\n');
    return file;
  };

  it.each([
    [[], 'sparkify sql: no statement given: give them as an argument ("SELECT …"), with -f FILE.sql, or - for stdin'],
    [['-- only a comment;\n;'], 'sparkify sql: no statement in the argument: give them as an argument ("SELECT …"), with -f FILE.sql, or - for stdin'],
    [['SELECT 1', '-f', 'x.sql'], 'sparkify sql: give the statements one way: as an argument ("SELECT …"), with -f FILE.sql, or - for stdin, not both'],
    [['SELECT 1', 'SELECT 2'], 'sparkify sql: give the statements as one argument, in quotes (got 2)'],
    [['SELECT 1', '--timeout', '5'], 'sparkify sql: --timeout takes a duration such as 500ms, 30s, 2m or 1h (0: no limit), not "5"'],
    [['SELECT 1', '--timeout', '1.5d'], 'sparkify sql: --timeout takes a duration such as 500ms, 30s, 2m or 1h (0: no limit), not "1.5d"'],
    [['SELECT 1', '--format', 'xml'], 'sparkify sql: --format must be table, csv or json, got "xml"'],
    [['SELECT 1', '--writes'], "sparkify sql: Unknown option '--writes' (see sparkify sql --help)"],
    [['-f', 'missing.sql'], 'sparkify sql: cannot read missing.sql: no such file'],
  ])('%j', async (args, line) => {
    expect(await sql(nowhere(), args)).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  it('stdin without a statement', async () => {
    expect(await sql(nowhere(), ['-'], '\n-- nothing here\n')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sparkify sql: no statement in stdin: give them as an argument ("SELECT …"), with -f FILE.sql, or - for stdin\n',
    });
  });
});

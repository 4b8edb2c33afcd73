import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedProject, postmasterPid } from './support/embedded-project.js';
import { withWarehouse } from './support/open-warehouse.js';
import { rows } from './support/warehouse.js';
import { addBigLog } from './support/fixtures.js';
import { spawnCli, stderrReaches } from './support/spawn-cli.js';

const DAY = 'log_data/2018/11/2018-11-01-mini-events.json';
const HISTORY = `SELECT table_name, COUNT(*)::int AS files, SUM(row_count)::int AS rows FROM load_history GROUP BY table_name ORDER BY table_name`;

/** A query on the project's warehouse, as the app's own session would make it (joining or starting its embedded server). */
function sqlOn(cfg: string, sql: string) {
  return withWarehouse(cfg, (wh) => rows(wh, sql));
}

/** The built CLI in the project folder; exit code and output. */
async function sparkify(cfg: string, ...args: string[]) {
  const run = spawnCli([...args, '--config', cfg]);
  const code = await run.exited;
  return { code, ...run.output };
}

describe('sparkify etl --incremental, the built CLI on the embedded engine', () => {
  it('loads a new day, says what it found, and then that nothing is new; status shows the files loaded', async () => {
    const { dir, cfg, data } = embeddedProject();
    expect((await sparkify(cfg, 'reload')).code).toBe(0);
    copyFileSync(path.join(data, DAY), path.join(data, DAY.replace('01-mini', '05-mini')));

    const run = await sparkify(cfg, 'etl', '--incremental');
    expect(run.code).toBe(0);
    expect(run.stderr.replace(/\d+\.\d\ds/g, 'T').replace(/\d+\.\d KB/g, 'B')).toBe(
      [
        'staging_events: 1 new file, 0 changed, 2 unchanged',
        'staging_songs: 0 new files, 0 changed, 6 unchanged',
        'Star tables: the new events appended (users, time, songplays)',
        // The first day again, under another name: its 8 events, 5 plays, by 3 users, at times already there.
        '1 of 5 OK staging_events ....................... 8 rows, B in T',
        '2 of 5 OK users ................................ 3 rows in T',
        '3 of 5 OK time ................................. 0 rows in T',
        '4 of 5 OK songplays ............................ 5 rows in T',
        '5 of 5 OK checks ............................... 21 checks passed in T',
        'Completed 5 of 5 stages in T: PASS',
        '',
      ].join('\n'),
    );
    expect(await sqlOn(cfg, HISTORY)).toEqual([
      { table_name: 'staging_events', files: 3, rows: 20 },
      { table_name: 'staging_songs', files: 6, rows: 6 },
    ]);

    const again = await sparkify(cfg, 'etl', '--incremental');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /^staging_events: 0 new files, 0 changed, 3 unchanged\nstaging_songs: 0 new files, 0 changed, 6 unchanged\n0 new files: nothing to load, the warehouse is unchanged\nNothing new, nothing changed, in \d+\.\d\ds: PASS\n$/,
    );

    const status = await sparkify(cfg, 'status');
    expect(status.stdout).toContain(
      'files loaded           files        rows\nstaging_events             3          20\nstaging_songs              6           6\n',
    );
    expect(status.stdout).toMatch(/\nlast incremental run {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: 1 file, 8 rows\n/);
    expect(postmasterPid(dir)).toBeNull();
  });

  it('--dry-run --incremental names the files it would load, and loads nothing', async () => {
    const { cfg, data } = embeddedProject();
    expect((await sparkify(cfg, 'reload')).code).toBe(0);
    const added = path.join(data, DAY.replace('01-mini', '07-mini'));
    copyFileSync(path.join(data, DAY), added);
    const plan = await sparkify(cfg, 'etl', '--incremental', '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stderr).toBe('staging_events: 1 new file, 0 changed, 2 unchanged\nstaging_songs: 0 new files, 0 changed, 6 unchanged\n');
    expect(plan.stdout).toMatch(
      /^-- sparkify etl --incremental --dry-run: embedded .*\n-- \d+ statements, in order; load_digests and load_history were read and the sources listed; nothing else was run\.\n/,
    );
    expect(plan.stdout).toContain(
      `-- rows streamed by sparkify from the 1 new or changed file:\n-- file 3: ${added}\nCOPY staging_events (artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page, registration, sessionid, song, status, ts, useragent, userid, file_id) FROM STDIN;\n`,
    );
    expect(plan.stdout).toContain('CREATE TEMP TABLE appended_events AS SELECT * FROM staging_events WHERE file_id >= 3;\n');
    expect(await sqlOn(cfg, HISTORY)).toEqual([
      { table_name: 'staging_events', files: 2, rows: 12 },
      { table_name: 'staging_songs', files: 6, rows: 6 },
    ]);
  });

  it('killed with SIGKILL while loading a new file: load_history and the tables are as they were, and the next run loads it', async () => {
    const { cfg, data } = embeddedProject();
    expect((await sparkify(cfg, 'reload')).code).toBe(0);
    const before = await sqlOn(cfg, HISTORY);
    addBigLog(data, 20_000); // 160,000 events: still loading when the kill comes
    const run = spawnCli(['etl', '--incremental', '--config', cfg]);
    await stderrReaches(run, 'Star tables:');
    run.kill('SIGKILL');
    await run.exited;
    expect(run.output.stderr).not.toContain('Completed');
    expect(await sqlOn(cfg, HISTORY)).toEqual(before);
    expect(await sqlOn(cfg, 'SELECT COUNT(*)::int AS n FROM staging_events')).toEqual([{ n: 12 }]);
    expect(await sqlOn(cfg, 'SELECT COUNT(*)::int AS n FROM songplays')).toEqual([{ n: 8 }]);

    const next = await sparkify(cfg, 'etl', '--incremental');
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('staging_events: 1 new file, 0 changed, 2 unchanged\n');
    expect(await sqlOn(cfg, 'SELECT COUNT(*)::int AS n FROM staging_events')).toEqual([{ n: 160_012 }]);
    expect(await sqlOn(cfg, 'SELECT COUNT(*)::int AS n FROM songplays')).toEqual([{ n: 100_008 }]);
  });

  it('--max-errors: a bad line costs that line and is recorded with its file; a file rejected whole is not recorded, and is tried again', async () => {
    const { cfg, data } = embeddedProject();
    expect((await sparkify(cfg, 'reload')).code).toBe(0);
    const day = path.join(data, DAY.replace('01-mini', '08-mini'));
    const lines = readFileSync(path.join(data, DAY), 'utf8').trimEnd().split('\n');
    writeFileSync(day, [...lines.slice(0, 2), '{"artist": "cut', ...lines.slice(2)].join('\n'));
    const empty = path.join(data, 'log_data/2018/11/2018-11-09-empty.json');
    writeFileSync(empty, '');

    const strict = await sparkify(cfg, 'etl', '--incremental');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`  error: ${day}:3: line 3, column 16: expected '"' to close the string but found the end of the line\n`);

    const lenient = await sparkify(cfg, 'etl', '--incremental', '--max-errors', '2');
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('staging_events: 2 new files, 0 changed, 2 unchanged\n');
    expect(lenient.stderr).toMatch(/1 of 5 OK staging_events \.+ 8 rows, [\d.]+ KB, 2 rejected \(in load_errors\) in/);
    expect(
      await sqlOn(
        cfg,
        `SELECT location, row_count::int AS rows, rejected_count::int AS rejected FROM load_history WHERE table_name = 'staging_events' AND file_id > 2 ORDER BY file_id`,
      ),
    ).toEqual([{ location: day, rows: 8, rejected: 1 }]);
    expect(await sqlOn(cfg, `SELECT source, line::int AS line FROM load_errors ORDER BY source`)).toEqual([
      { source: day, line: 3 },
      { source: empty, line: 1 },
    ]);

    // The empty file is new again; its rejected row is reported anew, not twice.
    const retried = await sparkify(cfg, 'etl', '--incremental', '--max-errors', '2');
    expect(retried.stderr).toContain('staging_events: 1 new file, 0 changed, 3 unchanged\n');
    expect(await sqlOn(cfg, `SELECT source FROM load_errors ORDER BY source`)).toEqual([{ source: day }, { source: empty }]);
  });

  it('on a warehouse no reload has made yet: one line asking for a reload, exit 1', async () => {
    const { cfg } = embeddedProject();
    const run = await sparkify(cfg, 'etl', '--incremental');
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toEqual([
      'error: relation "load_history" does not exist: incremental loads need the tables a reload makes (none yet, or made by an earlier version of sparkify): run sparkify reload once',
      expect.stringMatching(/^Failed after \d+\.\d\ds: rolled back, the warehouse is as it was before the run$/),
      '',
    ]);
  });

  it('bad usage exits 2 with one line', async () => {
    const { cfg } = embeddedProject();
    expect(await sparkify(cfg, 'etl', '--prune')).toMatchObject({ code: 2, stderr: 'sparkify etl: --prune goes with --incremental\n' });
    expect(await sparkify(cfg, 'etl', '--incremental', '--stage', 'users')).toMatchObject({
      code: 2,
      stderr: 'sparkify etl: --incremental runs the stages its changes call for; it takes no --stage\n',
    });
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { resetSchema, runPipeline } from '../src/etl/runner.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { configFile } from './support/config-file.js';
import { addBigLog, copyOfMini, MINI, MINI_COUNTS } from './support/fixtures.js';
import { KEY, press, tick, waitForFrame } from './support/ink.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { withWarehouse } from './support/open-warehouse.js';
import { openQueriesScreen, runQueryOnScreen, selectQuery } from './support/queries-screen.js';
import { createDatabase, logInAs, tempDir, writeTestConfig } from './support/warehouse.js';

let mounted: ReturnType<typeof render>[] = [];

function renderApp(configPath: string) {
  const app = render(<App configOptions={{ configPath, env: {} }} />);
  mounted.push(app);
  return app;
}

afterEach(async () => {
  for (const app of mounted) app.unmount();
  mounted = [];
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the warehouse close
});

const connected = (frame: string) => frame.includes('● connected');

/** The app on a dwh.cfg, once it shows the connection. */
async function connectedApp(configPath: string) {
  const app = renderApp(configPath);
  await waitForFrame(app, connected);
  return app;
}

/** The app, on a loaded warehouse, in the middle of a reload of data grown large enough to take a while. */
async function reloadingBigData() {
  const data = copyOfMini();
  const file = await loadedConfig(data);
  addBigLog(data);
  const app = await connectedApp(file);
  await press(app, 'R');
  await waitForFrame(app, (f) => /1 staging_events +running/.test(f));
  return { app, file };
}

describe('the interactive app', () => {
  it('shows the connection and the row count of every table on the home screen', async () => {
    const app = renderApp(await loadedConfig());
    const frame = await waitForFrame(app, connected);
    expect(frame).toContain('engine      postgres');
    expect(frame).toMatch(/user {8}sparkify \(password \*\*\*\*\)/);
    for (const [table, n] of Object.entries(MINI_COUNTS)) expect(frame).toMatch(new RegExp(`${table} +${n}\\b`));
    expect(frame).toMatch(/last run {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · reload · Completed 8 of 8 stages in [\d.]+s: PASS/);
  });

  it('shows the counts and the last run of a run in another terminal when Home is shown again (its key, 1, also on Home)', async () => {
    const file = await loadedConfig();
    const app = await connectedApp(file);
    expect(app.lastFrame()).toMatch(/songplays +8\b/);
    await withWarehouse(file, async (wh) => {
      await resetSchema(wh);
      await runPipeline(wh, { stages: ['staging_events'] });
    });
    await press(app, '1');
    const home = await waitForFrame(app, (f) => /songplays +0\b/.test(f));
    expect(home).toMatch(/staging_events +12\b/);
    // The reset left load_history empty, and the etl of staging_events recorded its 2 files.
    expect(home).toMatch(/loaded {6}2 files, 12 rows\n/);
    expect(home).toMatch(/incremental none has loaded files yet/);
    expect(home).toMatch(/last run {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · etl · Completed 1 of 1 stages in [\d.]+s: PASS/);
  });

  it('r on Home, once connected, reads the counts again after another terminal has changed them', async () => {
    const file = await loadedConfig();
    const app = await connectedApp(file);
    expect(app.lastFrame()).toMatch(/songplays +8\b/);
    await withWarehouse(file, (wh) => resetSchema(wh));
    await press(app, 'r');
    const home = await waitForFrame(app, (f) => /songplays +0\b/.test(f));
    expect(home).toMatch(/staging_events +0\b/);
  });

  it('R reloads everything and ends with every stage done, with its rows and time', async () => {
    const { file } = await writeTestConfig(MINI);
    const app = renderApp(file);
    expect(await waitForFrame(app, connected)).toContain('None yet: press R to create them and load the data.');
    await press(app, 'R');
    const frame = await waitForFrame(app, (f) => f.includes('Completed 8 of 8 stages'));
    const expected: [string, string][] = [
      ['staging_events', '12 rows'],
      ['staging_songs', '6 rows'],
      ['songplays', '8 rows'],
      ['users', '3 rows'],
      ['songs', '5 rows'],
      ['artists', '3 rows'],
      ['time', '7 rows'],
      ['checks', '21 checks'],
    ];
    expected.forEach(([stage, rows], i) => expect(frame).toMatch(new RegExp(`✓ +${i + 1} ${stage} +done +${rows} .*\\d+\\.\\d\\ds`)));
    // The run's summary stays as the notice on every screen, the Queries screen too (which shows no summary of its own).
    await press(app, '4');
    const queries = await waitForFrame(app, (f) => f.includes('▸ Top songs'));
    expect(queries).toMatch(/Completed 8 of 8 stages in [\d.]+s: PASS/);
    await press(app, '1');
    await waitForFrame(app, (f) => /songplays +8\b/.test(f));
  });

  it('shows the whole error of a failed stage, wrapped, and keeps the previous tables', async () => {
    const data = copyOfMini();
    const file = await loadedConfig(data);
    // In a folder of a long name, so that the error is longer than its line wherever the temp folder is.
    const folder = path.join(data, 'song_data/A/B/C/a-folder-whose-long-name-makes-the-error-longer-than-one-line');
    mkdirSync(folder);
    const song = path.join(folder, 'TRAABCC128F0000009.json');
    writeFileSync(song, '{"num_songs": 1, "artist_id": "AR1"}');
    const error = `${song}:1: missing field "artist_latitude"`;
    // Longer than the line it starts on (100 columns, 5 in): truncated, its reason would be lost.
    expect(error.length).toBeGreaterThan(95);
    const app = await connectedApp(file);
    await press(app, 'R');
    const frame = await waitForFrame(app, (f) => f.includes('Failed at staging_songs'));
    expect(frame).toMatch(/✗ +2 staging_songs +failed/);
    expect(frame.replace(/\s+/g, '')).toContain(error.replace(/\s+/g, ''));
    expect(await withWarehouse(file, tableCounts)).toEqual(MINI_COUNTS);
  });

  it('Esc during a stage cancels it, and the previous tables stay as they were', async () => {
    const { app, file } = await reloadingBigData();
    await press(app, KEY.escape);
    const frame = await waitForFrame(app, (f) => f.includes('Cancelled at staging_events'));
    expect(frame).toMatch(/⊘ +1 staging_events +cancelled/);
    expect(frame).toMatch(/- +8 checks +skipped/);
    expect(await withWarehouse(file, tableCounts)).toEqual(MINI_COUNTS);
    // The connection is still usable: a query runs.
    await runQueryOnScreen(app, 'top-songs', 'rows 1–4 of 4');
  });

  it('answers a query during its own reload, from the tables as they were; Esc leaves the result and the reload goes on', async () => {
    const { app } = await reloadingBigData();
    const during = await runQueryOnScreen(app, 'top-songs', 'rows 1–4 of 4');
    expect(during).toMatch(/│ Lonely +│ Cé Solo +│ +2 │/);
    expect(during).not.toContain('Completed');
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('▸ Top songs'));
    const done = await waitForFrame(app, (f) => f.includes('Completed 8 of 8 stages'));
    expect(done).not.toContain('Cancelled');
    await press(app, KEY.enter);
    const after = await waitForFrame(app, (f) => f.includes('rows 1–4 of 4'));
    expect(after).toMatch(/│ Twin +│ Twins Band +│ 40,002 │\n│ Lonely +│ Cé Solo +│ 20,002 │/);
  });

  it('runs a canned query and shows its result as a table', async () => {
    const app = await connectedApp(await loadedConfig());
    const frame = await runQueryOnScreen(app, 'top-songs', 'rows 1–4 of 4');
    const lines = frame.split('\n');
    const head = lines.findIndex((l) => l.includes('│ title'));
    expect(lines[head]).toMatch(/│ title +│ artist +│ plays │/);
    expect(lines[head + 2]).toMatch(/│ Lonely +│ Cé Solo +│ +2 │/);
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('▸ Top songs'));
  });

  it('asks a query for its parameters; keys typed there are text, not commands', async () => {
    const app = await connectedApp(await loadedConfig());
    await openQueriesScreen(app);
    await selectQuery(app, 'user-history');
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => f.includes('One user: user (the user_id)'));
    await press(app, 'q', '1', 'R');
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => f.includes('✗ user must be a whole number, got "q1R"'));
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => !f.includes('One user: user') && f.includes('▸ One user'));
    await press(app, KEY.up);
    await waitForFrame(app, (f) => f.includes('▸ One artist'));
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => f.includes('One artist: artist'));
    for (const c of "ana d'arcx") await press(app, c);
    await press(app, KEY.backspace, KEY.enter);
    const frame = await waitForFrame(app, (f) => f.includes('rows 1–2 of 2'));
    expect(frame).toMatch(/│ Ana D'Arc +│ Second +│ +1 │ +1 │/);
  });

  it('runs a query when a pasted value ends with a line break, which arrives with the text as one input', async () => {
    const app = await connectedApp(await loadedConfig());
    await openQueriesScreen(app);
    await selectQuery(app, 'artist-plays');
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => f.includes('One artist: artist'));
    await press(app, "ana d'arc\r");
    const frame = await waitForFrame(app, (f) => f.includes('rows 1–2 of 2'));
    expect(frame).toMatch(/│ Ana D'Arc +│ Second +│ +1 │ +1 │/);
  });

  it('arrows and Enter that arrive in one read act on the row they reach (a held key, tmux send-keys Down Down Enter)', async () => {
    const app = await connectedApp(await loadedConfig());
    await openQueriesScreen(app);
    await press(app, KEY.down + KEY.down + KEY.enter);
    expect(await waitForFrame(app, (f) => f.includes('rows 1–'))).toMatch(/Plays by hour of day[^\n]*\n[\s\S]*│ hour │/);
    await press(app, KEY.escape, '3');
    await waitForFrame(app, (f) => f.includes('1 staging_events'));
    await press(app, KEY.down.repeat(3) + KEY.enter);
    expect(await waitForFrame(app, (f) => f.includes('Completed 1 of 1 stages'))).toMatch(/✓ +1 users +done +3 rows/);
  });

  it('Esc while a query waits cancels it on the server, and its answer never shows', async () => {
    const file = await loadedConfig();
    await withWarehouse(file, async (locker) => {
      const app = await connectedApp(file);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE songplays IN ACCESS EXCLUSIVE MODE');
      await runQueryOnScreen(app, 'top-songs', 'Top songs…');
      const waiting = `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      await expect.poll(async () => (await locker.query<{ n: number }>(waiting)).rows[0]!.n, { timeout: 10_000 }).toBe(1);
      await press(app, KEY.escape);
      await waitForFrame(app, (f) => f.includes('▸ Top songs'));
      await expect.poll(async () => (await locker.query<{ n: number }>(waiting)).rows[0]!.n, { timeout: 10_000 }).toBe(0);
      await locker.query('COMMIT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(app.lastFrame()).toContain('▸ Top songs');
      expect(app.lastFrame()).not.toContain('rows 1–');
    });
  });

  it('shows a query error in the screen and goes on', async () => {
    const { file } = await writeTestConfig(MINI);
    const app = await connectedApp(file);
    const frame = await runQueryOnScreen(app, 'top-songs', '✗');
    expect(frame.replace(/\s+/g, ' ')).toContain(
      '✗ relation "songplays" does not exist: the schema is not created yet (run sparkify reload, or sparkify reset first)',
    );
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('▸ Top songs'));
    await press(app, 'R');
    await waitForFrame(app, (f) => f.includes('Completed 8 of 8 stages'));
  });

  it('with a password that is also a word of the screen, shows that word as it is: postgres on the home screen, songplays in an error', async () => {
    const { file } = await writeTestConfig(MINI);
    await logInAs(file, 'postgres', 'postgres');
    await withWarehouse(file, (wh) => runPipeline(wh, { reset: true }));
    const home = await waitForFrame(renderApp(file), connected);
    expect(home).toContain('engine      postgres\n');
    expect(home).toContain('user        postgres (password ****)\n');
    expect(home).toMatch(/connection {2}● connected \(PostgreSQL 18\.\d+, postgres dialect\)\n/);
    expect(home).toMatch(/songplays +8\b/);

    const empty = (await writeTestConfig(MINI)).file;
    await logInAs(empty, 'app_songplays', 'songplays');
    const app = await connectedApp(empty);
    const frame = await runQueryOnScreen(app, 'top-songs', '✗');
    expect(frame.replace(/\s+/g, ' ')).toContain('✗ relation "songplays" does not exist: the schema is not created yet');
  });

  it('draws a bar chart for a distribution and pages a result', async () => {
    const app = await connectedApp(await loadedConfig());
    const frame = await runQueryOnScreen(app, 'plays-by-hour', 'rows 1–4 of 4');
    expect(frame).toMatch(/│ +1 │ +3 │ +1 █+ +3/);
  });

  it('reset asks first, and n leaves the tables intact', async () => {
    const file = await loadedConfig();
    const app = await connectedApp(file);
    await press(app, '2');
    await waitForFrame(app, (f) => f.includes('songplays fact 8 rows'));
    await press(app, 'x');
    const question = await waitForFrame(app, (f) => f.includes('[y/N]'));
    expect(question.replace(/\s+/g, ' ')).toContain(
      'Drop and recreate staging_events, staging_songs, songplays, users, songs, artists, time, load_errors, load_history, load_digests? All their rows are lost. [y/N]',
    );
    await press(app, 'n');
    await waitForFrame(app, (f) => f.includes('Cancelled; nothing was changed.'));
    expect(await withWarehouse(file, tableCounts)).toEqual(MINI_COUNTS);
    await press(app, 'x');
    await waitForFrame(app, (f) => f.includes('[y/N]'));
    await press(app, 'y');
    await waitForFrame(app, (f) => f.includes('Reset: dropped and created 10 tables.'));
    expect((await withWarehouse(file, tableCounts)).songplays).toBe(0);
  });

  it('shows a broken config on the home screen, and reads it again on r', async () => {
    const file = configFile('[CLUSTER]\nHOST=localhost\nDB_PORT=abc\n');
    const app = renderApp(file);
    await tick();
    const frame = await waitForFrame(app, (f) => f.includes('DB_PORT'));
    expect(frame).toContain(`✗ ${file}: [CLUSTER] DB_PORT must be a port number, got "abc"`);
    expect(frame).toContain('Fix the file, then press r to read it again.');
    writeFileSync(file, '[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\n');
    await press(app, 'r');
    await waitForFrame(app, (f) => f.includes('✗ cannot connect to 127.0.0.1:1: connection refused'));
  });

  it('shows a missing database on the home screen, and connects on r once it exists', async () => {
    const { file } = await writeTestConfig(MINI);
    const name = `t_later_${process.pid}`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/DB_NAME=.*/, `DB_NAME=${name}`));
    const app = renderApp(file);
    const frame = await waitForFrame(app, (f) => f.includes('does not exist'));
    expect(frame.replace(/\s+/g, ' ')).toMatch(
      new RegExp(`✗ cannot connect to 127\\.0\\.0\\.1:\\d+: database "${name}" does not exist \\(check \\[CLUSTER\\] DB_NAME\\) \\(r retries\\)`),
    );
    await createDatabase(name);
    await press(app, 'r');
    await waitForFrame(app, connected);
  });

  it('q during a run asks first; Ctrl-C cancels the run, and a second Ctrl-C quits', async () => {
    const { app, file } = await reloadingBigData();
    await press(app, 'q');
    await waitForFrame(app, (f) => f.includes('A run is in progress. Cancel it (it rolls back) and quit? [y/N]'));
    await press(app, 'n');
    await waitForFrame(app, (f) => f.includes('Cancelled; nothing was changed.') && /staging_events +running/.test(f));
    await press(app, KEY.ctrlC);
    await waitForFrame(app, (f) => f.includes('Cancelled at staging_events'));
    await press(app, KEY.ctrlC);
    await waitForFrame(app, (f) => f.trim() === '');
    expect(await withWarehouse(file, tableCounts)).toEqual(MINI_COUNTS);
  });

  it('takes only a single digit as a screen key: pasted digits change nothing', async () => {
    const app = await connectedApp(await loadedConfig());
    await press(app, '15');
    await press(app, '4');
    await waitForFrame(app, (f) => f.includes('Top songs'));
    await press(app, '2');
    await waitForFrame(app, (f) => f.includes('staging_events') && !f.includes('Top songs'));
  });

  it('opens the help with ? and closes it with Esc', async () => {
    const app = await connectedApp(await loadedConfig());
    await press(app, '?');
    await waitForFrame(app, (f) => f.includes('ctrl-c cancel a run; again to quit'));
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => !f.includes('ctrl-c cancel a run') && f.includes('engine'));
  });
});

describe('paging a long result', () => {
  it('pages with j/k, PgUp/PgDn and g/G, saying which rows are shown', async () => {
    const data = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 3_000, songs: 100, users: 20, days: 40 });
    const app = await connectedApp(await loadedConfig(data));
    let frame = await runQueryOnScreen(app, 'daily-plays', 'rows 1–12 of 40');
    expect(frame).toMatch(/│ 2018-11-01 │/);
    await press(app, 'G');
    frame = await waitForFrame(app, (f) => f.includes('rows 29–40 of 40'));
    expect(frame).toMatch(/│ 2018-12-10 │/);
    expect(frame).not.toMatch(/│ 2018-11-01 │/);
    await press(app, 'k');
    await waitForFrame(app, (f) => f.includes('rows 28–39 of 40'));
    await press(app, 'g');
    await waitForFrame(app, (f) => f.includes('rows 1–12 of 40'));
    await press(app, KEY.pageDown);
    await waitForFrame(app, (f) => f.includes('rows 13–24 of 40'));
    await press(app, 'j');
    await waitForFrame(app, (f) => f.includes('rows 14–25 of 40'));
  });
});

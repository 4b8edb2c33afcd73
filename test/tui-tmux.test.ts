import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedProject, expectNoServer, postmasterPid, serverUsers } from './support/embedded-project.js';
import { addBigLog, MINI } from './support/fixtures.js';
import { pause, resume } from './support/processes.js';
import { reportWithoutTimes, spawnCli, stderrReaches } from './support/spawn-cli.js';
import { hasTmux, tmuxServer } from './support/tmux.js';
import { writeTestConfig } from './support/warehouse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// The app in a real terminal: tmux gives it a pty, keys and a screen to read.
// CI=true (as CI sets it) would make sparkify refuse to open the app, so it is unset there.
const tmux = tmuxServer(`sparkify-test-${process.pid}`);
afterAll(() => tmux.kill());

describe.runIf(hasTmux())('the app in a real terminal (tmux)', () => {
  it('starts, reloads with R, shows a query, and quits with q, restoring the terminal', async () => {
    const { file } = await writeTestConfig(MINI);
    tmux.open('app', `cd ${ROOT} && env -u CI node dist/cli.js --config ${file}; echo "exited $?"; sleep 30`);
    const connected = await tmux.waitFor('app', (s) => s.includes('● connected'), 'the connection');
    expect(connected).toMatch(/sparkify +1 Home +2 Schema +3 ETL +4 Queries +5 SQL/);

    tmux.keys('app', 'R');
    const reloaded = await tmux.waitFor('app', (s) => s.includes('Completed 8 of 8 stages'), 'the reload');
    expect(reloaded).toMatch(/✓ +3 songplays +done +8 rows/);

    tmux.keys('app', '4');
    await tmux.waitFor('app', (s) => s.includes('▸ Top songs'), 'the queries screen');
    tmux.keys('app', 'Enter');
    await tmux.waitFor('app', (s) => /│ Lonely +│ Cé Solo +│ +2 │/.test(s), 'the result table');

    tmux.keys('app', 'q');
    const closed = await tmux.waitFor('app', (s) => s.includes('exited 0'), 'the exit');
    // Back to a normal shell screen: the app's frame is not left half drawn over it.
    expect(closed).not.toContain('1-5/tab screens');
  });
});

describe.runIf(hasTmux())('the app in a terminal of 80×24', () => {
  it('lists every table on the Schema screen, one heading per line, none drawn over another', async () => {
    const { file } = await writeTestConfig(MINI);
    const sizes: [number, number][] = [
      [80, 24],
      [120, 40],
    ];
    for (const [columns, rows] of sizes) {
      const name = `schema-${columns}`;
      tmux.open(name, `cd ${ROOT} && env -u CI node dist/cli.js --config ${file}; echo "exited $?"; sleep 30`, [columns, rows]);
      await tmux.waitFor(name, (s) => s.includes('● connected'), 'the connection');
      tmux.keys(name, 'R');
      // The ETL screen's last row and the run's summary, which comes once the run has ended
      // (after the checks come the swap and the commit; Home may show an earlier run's summary).
      await tmux.waitFor(name, (s) => /✓ +8 checks +done/.test(s) && s.includes('Completed 8 of 8 stages'), 'the reload');
      tmux.keys(name, '2');
      const screen = await tmux.waitFor(
        name,
        (s) => s.includes('x reset schema') && s.includes('load_errors audit 0 rows'),
        'the schema screen with the new counts',
      );
      const headings = screen
        .split('\n')
        .filter((line) => /^(▸| ) (staging_events|staging_songs|songplays|users|songs|artists|time|load_errors) (staging|fact|dimension|audit) /.test(line));
      expect(headings.map((line) => line.slice(2).split(' ')[0])).toEqual([
        'staging_events',
        'staging_songs',
        'songplays',
        'users',
        'songs',
        'artists',
        'time',
        'load_errors',
      ]);
      expect(headings[0]).toMatch(/^▸ staging_events staging 12 rows/);
      expect(headings[2]).toMatch(/^ {2}songplays fact 8 rows/);
      // Each line is one table's or one table's columns: no heading runs into another line's text.
      expect(screen.split('\n').filter((line) => /\brows\S/.test(line))).toEqual([]);
      expect(screen.split('\n').every((line) => line.length <= columns)).toBe(true);
      tmux.keys(name, 'q');
      await tmux.waitFor(name, (s) => s.includes('exited 0'), 'the exit');
    }
  });
});

// The app in one terminal and `sparkify reload` in another, on one project:
// they share its embedded server, which stops when the last of them leaves.
describe.runIf(hasTmux())('the app and a headless reload on one embedded server', () => {
  let project: ReturnType<typeof embeddedProject>;
  let alone: string;
  const openApp = (name: string) => tmux.open(name, `cd ${project.dir} && env -u CI node ${ROOT}dist/cli.js; echo "exited $?"; sleep 60`);
  const reload = () => spawnCli(['reload', '--config', project.cfg]);

  beforeAll(async () => {
    project = embeddedProject();
    addBigLog(project.data); // a reload of seconds
    const first = reload();
    expect(await first.exited, first.output.stderr).toBe(0);
    alone = reportWithoutTimes(first);
  }, 120_000);

  it('the app first, a reload joins, the app quits mid-reload: the reload completes, then the server stops', async () => {
    openApp('first');
    await tmux.waitFor('first', (s) => s.includes('● connected'), 'the connection');
    const pid = postmasterPid(project.dir)!;
    const run = reload();
    await stderrReaches(run, 'Reset:');
    await pause(run.pid!); // so that the app certainly quits mid-reload
    tmux.keys('first', 'q');
    await tmux.waitFor('first', (s) => s.includes('exited 0'), 'the app to quit');
    expect(run.exitCode).toBeNull();
    expect(postmasterPid(project.dir)).toBe(pid); // the server stays up for the reload
    expect(serverUsers(project.dir)).toEqual([run.pid]);
    resume(run.pid!);
    expect(await run.exited, run.output.stderr).toBe(0);
    expect(reportWithoutTimes(run)).toBe(alone);
    expectNoServer(project.dir, pid);
  });

  it('a reload first, the app joins; the reload ends and the app still answers; quitting it stops the server', async () => {
    const run = reload();
    await stderrReaches(run, 'Reset:');
    const pid = postmasterPid(project.dir)!;
    await pause(run.pid!); // so that the app certainly joins while it runs
    openApp('second');
    await tmux.waitFor('second', (s) => s.includes('● connected'), 'the connection', 60_000);
    expect(run.exitCode).toBeNull();
    expect(postmasterPid(project.dir)).toBe(pid); // the app joined the reload's server
    expect(serverUsers(project.dir)).toHaveLength(2);
    expect(serverUsers(project.dir)).toContain(run.pid);
    resume(run.pid!);
    expect(await run.exited, run.output.stderr).toBe(0);
    expect(reportWithoutTimes(run)).toBe(alone);

    tmux.keys('second', '4');
    await tmux.waitFor('second', (s) => s.includes('▸ Top songs'), 'the queries screen');
    tmux.keys('second', 'Enter');
    const result = await tmux.waitFor('second', (s) => /│ +\d[\d,]* │/.test(s), 'the result table');
    tmux.keys('second', 'q');
    await tmux.waitFor('second', (s) => s.includes('exited 0'), 'the app to quit');
    expectNoServer(project.dir, pid);

    // The top song, as a headless query gives it, is what the app showed.
    const top = spawnCli(['query', 'top-songs', '--format', 'csv', '--config', project.cfg]);
    expect(await top.exited).toBe(0);
    const [title, artist, plays] = top.output.stdout.split('\r\n')[1]!.split(',');
    expect(result).toMatch(new RegExp(`│ ${title} +│ ${artist} +│ +${Number(plays).toLocaleString('en-US')} │`));
  });

  it('the app open, a reload killed with SIGKILL: the app still answers, and quitting it stops the server', async () => {
    openApp('third');
    await tmux.waitFor('third', (s) => s.includes('● connected'), 'the connection');
    const pid = postmasterPid(project.dir)!;
    const killed = reload();
    await stderrReaches(killed, 'Reset:');
    killed.kill('SIGKILL');
    await killed.exited;
    tmux.keys('third', '4');
    await tmux.waitFor('third', (s) => s.includes('▸ Top songs'), 'the queries screen');
    tmux.keys('third', 'Enter');
    await tmux.waitFor('third', (s) => /│ +\d[\d,]* │/.test(s), 'the result table');
    tmux.keys('third', 'q');
    await tmux.waitFor('third', (s) => s.includes('exited 0'), 'the app to quit');
    expectNoServer(project.dir, pid);
  });
});

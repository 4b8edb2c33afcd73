import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddedProject, postmasterPid, serverProcesses } from './support/embedded-project.js';
import { addBigLog } from './support/fixtures.js';
import { holdTable, sqlOnEmbedded } from './support/embedded-sql.js';
import { spawnCli, stderrReaches } from './support/spawn-cli.js';
import { tempDir } from './support/temp-dir.js';

describe('sparkify as a process on the embedded engine', () => {
  it('reloads, reports status, and leaves no server running', async () => {
    const { dir, cfg } = embeddedProject();
    const reload = spawnCli(['reload', '--config', cfg]);
    expect(await reload.exited).toBe(0);
    expect(reload.output.stderr).toMatch(/Completed 8 of 8 stages in \d+\.\d\ds: PASS\n$/);
    expect(postmasterPid(dir)).toBeNull();
    expect(serverProcesses(dir)).toEqual([]);

    const status = spawnCli(['status', '--config', cfg]);
    expect(await status.exited).toBe(0);
    expect(status.output.stdout).toContain(`connection  sparkify@embedded (${dir}/.sparkify)/sparkify\n`);
    expect(status.output.stdout).toContain('songplays                  8\n');
    expect(status.output.stderr).toBe('');
  });

  it.each([
    ['SIGINT', 'Ctrl-C'],
    ['SIGTERM', 'SIGTERM'],
    ['SIGHUP', 'SIGHUP'],
  ] as const)('%s during a reload cancels it, exits 130, keeps the previous warehouse and stops the server', async (signal, said) => {
    const { dir, cfg, data } = embeddedProject();
    expect(await spawnCli(['reload', '--config', cfg]).exited).toBe(0);

    addBigLog(data); // still extracting when the signal comes

    const reload = spawnCli(['reload', '--config', cfg]);
    await stderrReaches(reload, 'Reset:');
    reload.kill(signal);
    expect(await reload.exited).toBe(130);
    expect(reload.output.stderr).toContain(`${said}: cancelling (press Ctrl-C again to quit at once)\n`);
    expect(reload.output.stderr).toMatch(/1 of 8 CANCEL staging_events \.+ cancelled after \d+\.\d\ds\n/);
    expect(reload.output.stderr).toMatch(/Cancelled at staging_events after \d+\.\d\ds: rolled back, the warehouse is as it was before the run\n$/);
    expect(postmasterPid(dir)).toBeNull();
    expect(serverProcesses(dir)).toEqual([]);

    const status = spawnCli(['status', '--config', cfg]);
    expect(await status.exited).toBe(0);
    expect(status.output.stdout).toContain('staging_events            12\n');
    expect(status.output.stdout).toContain('songplays                  8\n');
  });
});

describe('a reload killed with SIGKILL', () => {
  it.each([
    ['the extract', 'Reset:', null],
    ['the transforms', '2 of 8 OK staging_songs', '3 of 8 OK songplays'],
    ['the checks and keys, before the swap', 'Keys:', 'Swap:'],
  ])('during %s leaves the previous warehouse as it was, nothing of the build visible, and the next run starts the server again', async (_, after, notYet) => {
    const { dir, cfg, data } = embeddedProject();
    expect(await spawnCli(['reload', '--config', cfg]).exited).toBe(0);
    addBigLog(data);
    const reload = spawnCli(['reload', '--config', cfg]);
    await stderrReaches(reload, 'Reset:');
    // An analyst's open transaction on "time" holds the swap back, so a kill after Keys: lands before the commit.
    const analyst = notYet === 'Swap:' ? await holdTable(dir, '"time"') : null;
    await stderrReaches(reload, after);
    reload.kill('SIGKILL'); // no handler runs, the server is left behind
    await reload.exited;
    await analyst?.release();
    if (notYet) expect(reload.output.stderr).not.toContain(notYet);
    expect(reload.output.stderr).not.toContain('Completed');
    expect(postmasterPid(dir)).not.toBeNull();
    // Seen from another session at once, while the killed run's backend may still be rolling back.
    expect(await sqlOnEmbedded(dir, `SELECT relname FROM pg_class WHERE relname LIKE '%\\_\\_build%'`)).toEqual([]);
    expect(await sqlOnEmbedded(dir, 'SELECT COUNT(*)::int AS n FROM songplays')).toEqual([{ n: 8 }]);

    const status = spawnCli(['status', '--config', cfg]);
    expect(await status.exited).toBe(0);
    expect(status.output.stdout).toContain('staging_events            12\n');
    expect(status.output.stdout).toContain('songplays                  8\n');
    expect(status.output.stdout).toContain('time                       7\n');
    // The orphaned server was adopted by that run and stopped with it.
    expect(postmasterPid(dir)).toBeNull();
    expect(serverProcesses(dir)).toEqual([]);
  });
});

describe('an embedded server that cannot start', () => {
  it.runIf(process.getuid?.() === 0)('as root, in a folder the postgres user cannot enter: one line naming it, exit 1', async () => {
    const { dir, cfg } = embeddedProject();
    chmodSync(dir, 0o700);
    const status = spawnCli(['status', '--config', cfg]);
    expect(await status.exited).toBe(1);
    expect(status.output.stderr).toBe(
      `sparkify: the postgres user cannot reach ${dir}/.sparkify (as root, the embedded server runs as "postgres"): let it into the folders above (chmod o+x) or keep the project elsewhere\n`,
    );
  });
});

describe('with no dwh.cfg', () => {
  it('reload runs the embedded engine on the generated default sample', async () => {
    const dir = tempDir();
    const first = spawnCli(['reload'], {}, dir);
    expect(await first.exited).toBe(0);
    expect(first.output.stderr).toMatch(/1 of 8 OK staging_events \.+ 30,000 rows, 13\.6 MB in/);
    expect(first.output.stderr).toMatch(/2 of 8 OK staging_songs \.+ 3,000 rows, /);
    expect(first.output.stderr).toMatch(/3 of 8 OK songplays \.+ 23,990 rows in/);
    expect(first.output.stderr).toMatch(/Completed 8 of 8 stages in [\d.]+s: PASS\n$/);
    const rate = spawnCli(['query', 'song-match-rate', '--format', 'csv'], {}, dir);
    expect(await rate.exited).toBe(0);
    expect(rate.output.stdout).toBe('plays,matched,match_pct\r\n23990,20371,84.91\r\n');
    expect(postmasterPid(dir)).toBeNull();
  });
});

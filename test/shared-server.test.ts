import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedProject, expectNoServer, postmasterPid, serverProcesses, serverUsers } from './support/embedded-project.js';
import { addBigLog, MINI, MINI_COUNTS } from './support/fixtures.js';
import { until } from './support/poll.js';
import { isAlive, pause, resume } from './support/processes.js';
import { reportWithoutTimes, spawnCli, stderrReaches, type CliProcess } from './support/spawn-cli.js';

describe('several sparkify on one embedded server (built CLI, real processes)', () => {
  // A reload of about 160,000 events, which takes seconds, and what it gives when run alone.
  let project: ReturnType<typeof embeddedProject>;
  let alone: { reload: string; hours: string };
  const reload = () => spawnCli(['reload', '--config', project.cfg]);
  // A connect timeout that outlasts any pause below.
  const playsByHour = () => spawnCli(['query', 'plays-by-hour', '--format', 'csv', '--config', project.cfg], { SPARKIFY_CLUSTER_CONNECT_TIMEOUT: '120' });

  /**
   * Starts the query and holds it (SIGSTOP) once it is a user of the server
   * and has not yet connected: meanwhile the server's postmaster is paused,
   * so the query, once registered, waits there for its connection instead of
   * answering and leaving within milliseconds.
   */
  async function queryHeldAfterJoining(serverPid: number): Promise<CliProcess> {
    await pause(serverPid);
    const query = playsByHour();
    try {
      await until(() => serverUsers(project.dir).includes(query.pid!) || query.exitCode !== null, 'the query to join the server');
      expect(query.exitCode, query.output.stderr).toBeNull();
      await pause(query.pid!);
    } finally {
      resume(serverPid);
    }
    return query;
  }

  beforeAll(async () => {
    project = embeddedProject();
    addBigLog(project.data);
    const first = reload();
    expect(await first.exited, first.output.stderr).toBe(0);
    const hours = playsByHour();
    expect(await hours.exited, hours.output.stderr).toBe(0);
    alone = { reload: reportWithoutTimes(first), hours: hours.output.stdout };
    expect(alone.hours.split('\r\n')[0]).toBe('hour,plays');
    // The mini fixture's 12 events and 20,000 copies of its first day.
    const firstDay = readFileSync(path.join(MINI, 'log_data/2018/11/2018-11-01-mini-events.json'), 'utf8').trimEnd().split('\n').length;
    expect(alone.reload).toContain(
      `1 of 8 OK staging_events ....................... ${(MINI_COUNTS.staging_events + 20_000 * firstDay).toLocaleString('en-US')} rows, `,
    );
    expect(postmasterPid(project.dir)).toBeNull();
  }, 120_000);

  it('a query while a reload runs: both succeed with what each gives alone, and then no server is left', async () => {
    const run = reload();
    await stderrReaches(run, 'Reset:');
    const pid = postmasterPid(project.dir)!;
    await pause(run.pid!); // so it certainly still runs while the query joins, answers and leaves
    const query = playsByHour();
    expect(await query.exited, query.output.stderr).toBe(0);
    expect(postmasterPid(project.dir)).toBe(pid); // the query used the reload's server
    expect(serverUsers(project.dir)).toEqual([run.pid]);
    expect(serverProcesses(project.dir)).toContain(pid);
    resume(run.pid!);
    expect(await run.exited, run.output.stderr).toBe(0);
    expect(query.output.stdout).toBe(alone.hours);
    expect(reportWithoutTimes(run)).toBe(alone.reload);
    expectNoServer(project.dir, pid);

    const after = playsByHour();
    expect(await after.exited).toBe(0);
    expect(after.output.stdout).toBe(alone.hours);
    expect(postmasterPid(project.dir)).toBeNull();
  }, 120_000);

  it('the reload ends first while a query is still to run: the server stays up for it, and stops after it', async () => {
    const run = reload();
    await stderrReaches(run, 'Reset:');
    const pid = postmasterPid(project.dir)!;
    await pause(run.pid!); // so that the query certainly joins while it runs
    const query = await queryHeldAfterJoining(pid);
    resume(run.pid!);
    expect(await run.exited, run.output.stderr).toBe(0);
    expect(isAlive(pid)).toBe(true);
    expect(serverUsers(project.dir)).toEqual([query.pid]);
    resume(query.pid!);
    expect(await query.exited, query.output.stderr).toBe(0);
    expect(query.output.stdout).toBe(alone.hours);
    expectNoServer(project.dir, pid);
  }, 120_000);

  it('a second Ctrl-C quits at once, and the last user still stops the server', async () => {
    const run = reload();
    await stderrReaches(run, 'Reset:');
    const pid = postmasterPid(project.dir)!;
    run.kill('SIGINT');
    await stderrReaches(run, 'Ctrl-C: cancelling');
    run.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expectNoServer(project.dir, pid);
    const query = playsByHour();
    expect(await query.exited).toBe(0);
    expect(query.output.stdout).toBe(alone.hours);
  }, 120_000);

  it('a user killed with SIGKILL does not count: the other user stops the server when it leaves', async () => {
    const killed = reload();
    await stderrReaches(killed, 'Reset:');
    const pid = postmasterPid(project.dir)!;
    await pause(killed.pid!); // so that the query certainly joins while it runs
    const query = await queryHeldAfterJoining(pid);
    killed.kill('SIGKILL');
    await killed.exited;
    expect(isAlive(pid)).toBe(true);
    resume(query.pid!);
    expect(await query.exited, query.output.stderr).toBe(0);
    expect(query.output.stdout).toBe(alone.hours); // the killed reload rolled back
    expectNoServer(project.dir, pid);
  }, 120_000);
});

describe('sparkify starting at once', () => {
  it('three commands at once on a new project initialise one cluster, start one server, and leave none', async () => {
    const { dir, cfg } = embeddedProject();
    const statuses = [1, 2, 3].map(() => spawnCli(['status', '--config', cfg]));
    const codes = await Promise.all(statuses.map((s) => s.exited));
    expect(codes, statuses.map((s) => s.output.stderr).join('\n')).toEqual([0, 0, 0]);
    expect(new Set(statuses.map((s) => s.output.stdout)).size).toBe(1);
    expect(statuses[0]!.output.stdout).toContain('staging_events       missing\n');
    expect(readdirSync(path.join(dir, '.sparkify')).filter((name) => name.startsWith('pgdata'))).toEqual(['pgdata']);
    expect(postmasterPid(dir)).toBeNull();
    expect(serverProcesses(dir)).toEqual([]);
  });
});

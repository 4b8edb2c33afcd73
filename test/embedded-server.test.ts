import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../src/engines/postgres/embedded/embedded-server.js';
import { ConnectionError } from '../src/warehouse/errors.js';
import { embeddedProject } from './support/embedded-project.js';
import { isAlive, startSleeper } from './support/processes.js';
import { runCli } from './support/run-cli.js';
import { tempDir } from './support/temp-dir.js';

async function sql(server: EmbeddedServer, text: string): Promise<unknown[]> {
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.user, password: server.password, database: 'postgres' });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text)).rows;
  } finally {
    await client.end();
  }
}

async function select1(server: EmbeddedServer): Promise<number> {
  const [row] = (await sql(server, 'SELECT 1 AS one')) as { one: number }[];
  return row!.one;
}

function serverPid(stateDir: string): number {
  return Number(readFileSync(path.join(stateDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

const users = (stateDir: string) => readdirSync(path.join(stateDir, 'server.users'));

/** A process that is not sparkify, for a pid that a killed sparkify's could have been reused by. */
const sleeper = startSleeper();

describe('the embedded PostgreSQL server', () => {
  it('initialises a cluster under .sparkify once, reuses it, and stops cleanly', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const first = await startEmbeddedServer(stateDir);
    expect(await select1(first)).toBe(1);
    await first.leave();
    expect(existsSync(path.join(stateDir, 'pgdata', 'postmaster.pid'))).toBe(false);

    // The next start finds the initialised cluster and its credentials.
    const again = await startEmbeddedServer(stateDir);
    expect(again.password).toBe(first.password);
    expect(await select1(again)).toBe(1);
    await again.leave();
    expect(users(stateDir)).toEqual([]);
  });

  it.each([
    ['the first', 'the second'],
    ['the second', 'the first'],
  ])('two users share one server; when %s leaves, %s still uses it, and its leaving stops it', async (leavesFirst) => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const first = await startEmbeddedServer(stateDir);
    const pid = serverPid(stateDir);
    const second = await startEmbeddedServer(stateDir);
    expect(second).toMatchObject({ port: first.port, password: first.password });
    expect(users(stateDir)).toHaveLength(2);
    const [early, late] = leavesFirst === 'the first' ? [first, second] : [second, first];

    await early.leave();
    expect(isAlive(pid)).toBe(true);
    expect(await select1(late)).toBe(1);
    await late.leave();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(stateDir, 'pgdata', 'postmaster.pid'))).toBe(false);
    expect(users(stateDir)).toEqual([]);
  });

  it('recovers from a stale postmaster.pid left by a crash', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const server = await startEmbeddedServer(stateDir);
    const pidFile = path.join(stateDir, 'pgdata', 'postmaster.pid');
    const pidText = readFileSync(pidFile, 'utf8');
    await server.leave();
    // What a killed machine leaves behind: the file, naming a process that is gone.
    writeFileSync(pidFile, pidText.replace(/^\d+/, '999999'));

    const restarted = await startEmbeddedServer(stateDir);
    expect(await select1(restarted)).toBe(1);
    await restarted.leave();
  });

  it('adopts a server whose users were killed (pid gone, or reused by another process), and stops it', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const first = await startEmbeddedServer(stateDir);
    const pid = serverPid(stateDir);
    // What killed users leave: their registration. One's pid is gone; the
    // other's was reused by a process that is not sparkify (it started later).
    const [registered] = users(stateDir);
    const folder = path.join(stateDir, 'server.users');
    renameSync(path.join(folder, registered!), path.join(folder, '999999-123-1'));
    writeFileSync(path.join(folder, `${sleeper.pid}-1-1`), '');

    const adopter = await startEmbeddedServer(stateDir);
    expect(adopter.port).toBe(first.port);
    expect(serverPid(stateDir)).toBe(pid);
    expect(await select1(adopter)).toBe(1);
    await adopter.leave();
    expect(isAlive(pid)).toBe(false);
    expect(users(stateDir)).toEqual([]);
  });

  it('one that starts while the last user is stopping the server waits for the stop, then starts it again', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const last = await startEmbeddedServer(stateDir);
    const pid = serverPid(stateDir);
    const stopping = last.leave(); // takes the lock before the start below asks for it
    const next = await startEmbeddedServer(stateDir);
    await stopping;
    expect(isAlive(pid)).toBe(false);
    expect(serverPid(stateDir)).not.toBe(pid);
    expect(await select1(next)).toBe(1);
    await next.leave();
    expect(existsSync(path.join(stateDir, 'pgdata', 'postmaster.pid'))).toBe(false);
  });

  it('three starting at once on a new folder initialise one cluster and start one server', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const servers = await Promise.all([1, 2, 3].map(() => startEmbeddedServer(stateDir)));
    expect(new Set(servers.map((s) => s.port)).size).toBe(1);
    expect(new Set(servers.map((s) => s.password)).size).toBe(1);
    expect(await Promise.all(servers.map(select1))).toEqual([1, 1, 1]);
    const pid = serverPid(stateDir);
    expect(readdirSync(stateDir).filter((name) => name.startsWith('pgdata'))).toEqual(['pgdata']);
    await Promise.all(servers.map((s) => s.leave()));
    expect(isAlive(pid)).toBe(false);
    expect(users(stateDir)).toEqual([]);
  });
});

describe("the embedded cluster's credentials (.sparkify/embedded.json)", () => {
  const wayOut = (dataDir: string) => `restore it, or move ${dataDir} away to start afresh (a new, empty warehouse)`;
  it.each([
    [
      'missing',
      (file: string) => rmSync(file),
      (file: string, dataDir: string) => `${file} is missing: it holds the password of the embedded cluster in ${dataDir}; ${wayOut(dataDir)}`,
    ],
    [
      'not JSON',
      (file: string) => writeFileSync(file, '{'),
      (file: string, dataDir: string) => `${file} does not hold the embedded cluster's user and password (JSON with "user" and "password"); ${wayOut(dataDir)}`,
    ],
    [
      'without the password',
      (file: string) => writeFileSync(file, '{"user":"sparkify"}'),
      (file: string, dataDir: string) => `${file} does not hold the embedded cluster's user and password (JSON with "user" and "password"); ${wayOut(dataDir)}`,
    ],
  ])('%s: starting fails naming the file and the way out, and the cluster and the server running on it are kept', async (_, spoil, message) => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const dataDir = path.join(stateDir, 'pgdata');
    const file = path.join(stateDir, 'embedded.json');
    const running = await startEmbeddedServer(stateDir);
    const pid = serverPid(stateDir);
    await sql(running, 'CREATE TABLE kept AS SELECT 42 AS answer');
    spoil(file);

    const error = await startEmbeddedServer(stateDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(message(file, dataDir));
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(serverPid(stateDir)).toBe(pid);
    expect(await sql(running, 'SELECT answer FROM kept')).toEqual([{ answer: 42 }]);
    expect(users(stateDir)).toHaveLength(1);
    await running.leave();
    expect(isAlive(pid)).toBe(false);
  });

  it('a command without it exits 1 with that one line, and the cluster is kept', async () => {
    const { dir, cfg } = embeddedProject();
    expect((await runCli(['status', '--config', cfg])).code).toBe(0);
    const stateDir = path.join(dir, '.sparkify');
    rmSync(path.join(stateDir, 'embedded.json'));
    const status = await runCli(['status', '--config', cfg]);
    expect(status.code).toBe(1);
    const dataDir = path.join(stateDir, 'pgdata');
    expect(status.stderr).toBe(
      `sparkify: ${path.join(stateDir, 'embedded.json')} is missing: it holds the password of the embedded cluster in ${dataDir}; ${wayOut(dataDir)}\n`,
    );
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
  });

  it("credentials for no cluster (a crash after writing them, before the cluster was moved in) are replaced by a new cluster's", async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    mkdirSync(stateDir);
    writeFileSync(path.join(stateDir, 'embedded.json'), JSON.stringify({ user: 'sparkify', password: 'from-before-the-crash' }));
    const server = await startEmbeddedServer(stateDir);
    expect(server.password).not.toBe('from-before-the-crash');
    expect(JSON.parse(readFileSync(path.join(stateDir, 'embedded.json'), 'utf8'))).toEqual({ user: 'sparkify', password: server.password });
    expect(await select1(server)).toBe(1);
    await server.leave();
    expect(readdirSync(stateDir).sort()).toEqual(['embedded.json', 'pgdata', 'postgres.log', 'server.users']);
  });

  it('a data folder with files but no cluster in it is kept, and named', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const dataDir = path.join(stateDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, 'notes.txt'), 'mine');
    const error = await startEmbeddedServer(stateDir).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away to start afresh (a new, empty warehouse)`,
    );
    expect(readdirSync(dataDir)).toEqual(['notes.txt']);
  });
});

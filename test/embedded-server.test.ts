import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../src/warehouse/embedded-server.js';
import { identify } from '../src/warehouse/process-identity.js';
import { tempDir } from './support/temp-dir.js';

async function select1(server: EmbeddedServer): Promise<number> {
  const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.user, password: server.password, database: 'postgres' });
  await client.connect();
  const { rows } = await client.query<{ one: number }>('SELECT 1 AS one');
  await client.end();
  return rows[0]!.one;
}

function serverPid(stateDir: string): number {
  return Number(readFileSync(path.join(stateDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function isAlive(pid: number): boolean {
  return identify(pid) !== null;
}

const users = (stateDir: string) => readdirSync(path.join(stateDir, 'server.users'));

/** A process that is not sparkify, for a pid that a killed sparkify's could have been reused for. */
const sleeper = spawn('sleep', ['120'], { stdio: 'ignore' });
afterAll(() => void sleeper.kill());

describe('the embedded PostgreSQL server', () => {
  it('initialises a cluster under .sparkify once, reuses it, and stops cleanly', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const first = await startEmbeddedServer(stateDir);
    expect(await select1(first)).toBe(1);
    await first.stop();
    expect(existsSync(path.join(stateDir, 'pgdata', 'postmaster.pid'))).toBe(false);

    // The next start finds the initialised cluster and its credentials.
    const again = await startEmbeddedServer(stateDir);
    expect(again.password).toBe(first.password);
    expect(await select1(again)).toBe(1);
    await again.stop();
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

    await early.stop();
    expect(isAlive(pid)).toBe(true);
    expect(await select1(late)).toBe(1);
    await late.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(stateDir, 'pgdata', 'postmaster.pid'))).toBe(false);
    expect(users(stateDir)).toEqual([]);
  });

  it('recovers from a stale postmaster.pid left by a crash', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const server = await startEmbeddedServer(stateDir);
    const pidFile = path.join(stateDir, 'pgdata', 'postmaster.pid');
    const pidText = readFileSync(pidFile, 'utf8');
    await server.stop();
    // What a killed machine leaves behind: the file, naming a process that is gone.
    writeFileSync(pidFile, pidText.replace(/^\d+/, '999999'));

    const restarted = await startEmbeddedServer(stateDir);
    expect(await select1(restarted)).toBe(1);
    await restarted.stop();
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
    await adopter.stop();
    expect(isAlive(pid)).toBe(false);
    expect(users(stateDir)).toEqual([]);
  });

  it('one that starts while the last user is stopping the server waits for the stop, then starts it again', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const last = await startEmbeddedServer(stateDir);
    const pid = serverPid(stateDir);
    const stopping = last.stop(); // takes the lock before the start below asks for it
    const next = await startEmbeddedServer(stateDir);
    await stopping;
    expect(isAlive(pid)).toBe(false);
    expect(serverPid(stateDir)).not.toBe(pid);
    expect(await select1(next)).toBe(1);
    await next.stop();
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
    await Promise.all(servers.map((s) => s.stop()));
    expect(isAlive(pid)).toBe(false);
    expect(users(stateDir)).toEqual([]);
  });
});

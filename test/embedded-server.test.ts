import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../src/warehouse/embedded-server.js';
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
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the embedded PostgreSQL server', () => {
  it('initialises a cluster under .sparkify once, reuses it, and stops cleanly', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const first = await startEmbeddedServer(stateDir);
    expect(first.owned).toBe(true);
    expect(await select1(first)).toBe(1);
    const pid = serverPid(stateDir);

    // A second process on the same folder joins the running server and leaves it running.
    const joined = await startEmbeddedServer(stateDir);
    expect(joined).toMatchObject({ owned: false, port: first.port, password: first.password });
    await joined.stop();
    expect(isAlive(pid)).toBe(true);

    await first.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(stateDir, 'pgdata', 'postmaster.pid'))).toBe(false);

    // The next start finds the initialised cluster and its credentials.
    const again = await startEmbeddedServer(stateDir);
    expect(again.password).toBe(first.password);
    expect(await select1(again)).toBe(1);
    await again.stop();
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
    expect(restarted.owned).toBe(true);
    expect(await select1(restarted)).toBe(1);
    await restarted.stop();
  });

  it('adopts a server left running by a sparkify that was killed, and stops it', async () => {
    const stateDir = path.join(tempDir(), '.sparkify');
    const first = await startEmbeddedServer(stateDir);
    const pid = serverPid(stateDir);
    // The owner died without stopping its server (SIGKILL).
    writeFileSync(path.join(stateDir, 'server.owner'), '999999');

    const adopted = await startEmbeddedServer(stateDir);
    expect(adopted).toMatchObject({ owned: true, port: first.port });
    expect(await select1(adopted)).toBe(1);
    await adopted.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(path.join(stateDir, 'server.owner'))).toBe(false);
  });
});

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadPostgresBinaries } from './embedded-binaries.js';

const exec = promisify(execFile);

export interface EmbeddedServer {
  port: number;
  user: string;
  password: string;
  /** True when this process started the server and so stops it. */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

const USER = 'sparkify';
const READY_TIMEOUT_MS = 30_000;
// Settings for a local analytics scratch cluster: loads skip WAL for tables
// truncated in the same transaction, and commits do not wait for the disk.
const SERVER_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  'wal_level=minimal',
  'max_wal_senders=0',
  'synchronous_commit=off',
  'max_wal_size=2GB',
  'checkpoint_timeout=30min',
  'shared_buffers=128MB',
  'work_mem=64MB',
  'maintenance_work_mem=256MB',
];

/**
 * Starts (or joins) the PostgreSQL cluster under `<stateDir>/pgdata`. The
 * cluster is initialised once and reused; a server already running on it (a
 * TUI in another terminal) is joined rather than started twice; a stale
 * postmaster.pid left by a crash is removed.
 */
export async function startEmbeddedServer(stateDir: string): Promise<EmbeddedServer> {
  const dataDir = path.join(stateDir, 'pgdata');
  const runAs = await postgresUser();
  await fs.mkdir(stateDir, { recursive: true });
  if (runAs.uid !== undefined) await assertReachable(stateDir, runAs);
  const credentials = await ensureCluster(stateDir, dataDir, runAs);

  const ownerFile = path.join(stateDir, 'server.owner');
  const running = await runningServer(dataDir);
  if (running !== null) {
    const owner = Number(await fs.readFile(ownerFile, 'utf8').catch(() => '0'));
    if (owner > 0 && isAlive(owner)) {
      // Another sparkify (a TUI in another terminal, or this process) runs it and will stop it.
      return { ...credentials, port: running.port, owned: false, stop: async () => {} };
    }
    // Left running by a sparkify that was killed: adopt it, and stop it when done.
    await fs.writeFile(ownerFile, String(process.pid));
    return { ...credentials, port: running.port, owned: true, stop: () => stopAdopted(running.pid, ownerFile) };
  }
  const port = await freePort();
  const child = await spawnServer(dataDir, port, path.join(stateDir, 'postgres.log'), runAs);
  await waitUntilReady(child, port, credentials, path.join(stateDir, 'postgres.log'));
  await fs.writeFile(ownerFile, String(process.pid));
  return { ...credentials, port, owned: true, stop: () => stopServer(child, ownerFile) };
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (created if missing). */
async function postgresUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await exec('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await exec('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await exec('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

/** As root the server runs as `postgres`, which must be able to enter every folder above the data. */
async function assertReachable(stateDir: string, runAs: RunAs): Promise<void> {
  try {
    await exec('/bin/sh', ['-c', 'test -x "$0" && test -r "$0"', stateDir], runAs);
  } catch {
    throw new Error(
      `the postgres user cannot reach ${stateDir} (as root, the embedded server runs as "postgres"): let it into the folders above (chmod o+x) or keep the project elsewhere`,
    );
  }
}

async function ensureCluster(stateDir: string, dataDir: string, runAs: RunAs): Promise<Credentials> {
  const credentialsFile = path.join(stateDir, 'embedded.json');
  if (existsSync(path.join(dataDir, 'PG_VERSION')) && existsSync(credentialsFile)) {
    return JSON.parse(await fs.readFile(credentialsFile, 'utf8')) as Credentials;
  }
  const credentials: Credentials = { user: USER, password: randomBytes(18).toString('base64url') };
  // initdb into a scratch folder and rename: a crash mid-init never leaves a half cluster.
  const scratch = `${dataDir}.init-${process.pid}`;
  const pwfile = path.join(stateDir, `.pwfile-${process.pid}`);
  await fs.rm(scratch, { recursive: true, force: true });
  await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (runAs.uid !== undefined) {
      await fs.chown(pwfile, runAs.uid, runAs.gid!);
      await fs.mkdir(scratch, { mode: 0o700 });
      await fs.chown(scratch, runAs.uid, runAs.gid!);
    }
    const { initdb } = await loadPostgresBinaries();
    const args = ['-D', scratch, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-sync'];
    await exec(initdb, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' } }).catch((error: { stderr?: string }) => {
      throw new Error(`initdb failed in ${stateDir}: ${(error.stderr ?? String(error)).trim().split('\n').at(-1)}`);
    });
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rename(scratch, dataDir);
    await fs.writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  } finally {
    await fs.rm(pwfile, { force: true });
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return credentials;
}

/** The live server on dataDir, or null (removing a stale postmaster.pid). */
async function runningServer(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && port > 0 && (await isPostgresProcess(pid))) return { pid, port };
  await fs.rm(pidFile, { force: true });
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  // A recycled pid may belong to something else after a reboot.
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  return cmdline === null || cmdline.includes('postgres');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function spawnServer(dataDir: string, port: number, logFile: string, runAs: RunAs): Promise<ChildProcess> {
  const { postgres } = await loadPostgresBinaries();
  const log = openSync(logFile, 'a');
  try {
    const args = ['-D', dataDir, '-p', String(port), ...SERVER_SETTINGS.flatMap((s) => ['-c', s])];
    // Its own process group: a Ctrl-C in the terminal reaches us, not the server,
    // so a run is cancelled and rolled back by us before the server stops.
    const child = spawn(postgres, args, { ...runAs, detached: true, stdio: ['ignore', log, log], env: { ...process.env, LC_ALL: 'C' } });
    child.unref();
    stopOnExit(child);
    return child;
  } finally {
    closeSync(log);
  }
}

async function waitUntilReady(child: ChildProcess, port: number, credentials: Credentials, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, database: 'postgres', ...credentials });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (exited || Date.now() > deadline) {
      const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
      throw new Error(`embedded PostgreSQL did not start (see ${logFile}): ${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

function stopOnExit(child: ChildProcess): void {
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
}

/** Fast shutdown: open transactions roll back, the cluster is left clean. */
function stopServer(child: ChildProcess, ownerFile: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return fs.rm(ownerFile, { force: true });
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      void fs.rm(ownerFile, { force: true }).then(resolve);
    });
    child.kill('SIGINT');
  });
}

/** The same for a server we did not start: signal it by pid and wait for it to go. */
async function stopAdopted(pid: number, ownerFile: string): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  let deadline = Date.now() + 10_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      deadline = Infinity;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await fs.rm(ownerFile, { force: true });
}

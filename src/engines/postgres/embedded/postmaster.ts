import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { loadPostgresBinaries } from './embedded-binaries.js';
import type { Credentials, RunAs } from './embedded-cluster.js';
import { HAS_PROC, pidRuns } from './process-identity.js';
import type { Steps } from './steps.js';

const READY_TIMEOUT_MS = 30_000;
/** A fast shutdown (SIGINT) rolls back open transactions; past this, an immediate one (SIGQUIT). */
const FAST_STOP_MS = 10_000;
const IMMEDIATE_STOP_MS = 5_000;
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

export interface Postmaster {
  pid: number;
  port: number;
}

/** The server running on dataDir, from its postmaster.pid, or null (removing a stale postmaster.pid). */
export function runningPostmaster(dataDir: string): Postmaster | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && port > 0 && isPostgres(pid)) return { pid, port };
  rmSync(pidFile, { force: true });
  return null;
}

function isPostgres(pid: number): boolean {
  if (!pidRuns(pid)) return false;
  // A pid recycled after a reboot may belong to something else.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc: the pid runs, which is all we can know
  }
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

/** Starts the server on a free port and waits until it accepts connections. */
export async function startPostmaster(dataDir: string, logFile: string, runAs: RunAs, credentials: Credentials): Promise<Postmaster> {
  const { postgres } = await loadPostgresBinaries();
  const port = await freePort();
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    const args = ['-D', dataDir, '-p', String(port), ...SERVER_SETTINGS.flatMap((s) => ['-c', s])];
    // Its own process group: a Ctrl-C in the terminal reaches us, not the server,
    // so a run is cancelled and rolled back by us before the server stops.
    child = spawn(postgres, args, { ...runAs, detached: true, stdio: ['ignore', log, log], env: { ...process.env, LC_ALL: 'C' } });
  } finally {
    closeSync(log);
  }
  child.unref();
  const pid = child.pid!;
  children.set(
    pid,
    new Promise((resolve) =>
      child.once('exit', () => {
        children.delete(pid);
        resolve();
      }),
    ),
  );
  // Until it is ready it has no user: if this process exits meanwhile, the server goes with it.
  const stopIfExiting = () => void child.kill('SIGINT');
  process.once('exit', stopIfExiting);
  try {
    await waitUntilReady(child, port, credentials, logFile);
    return { pid, port };
  } catch (error) {
    child.kill('SIGQUIT');
    throw error;
  } finally {
    process.removeListener('exit', stopIfExiting);
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

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

/** Servers this process started, while they run: their end is an event here, not something to poll for. */
const children = new Map<number, Promise<void>>();

/**
 * The steps of stopping the server (whoever started it): a fast shutdown,
 * then an immediate one if that takes too long; done once its process has
 * ended. A server that is this process's child ends with an event, which
 * the awaiting runner waits for; any other (and ours, in an exit handler,
 * which gets no events) is looked for after a tenth of the time waited so
 * far, from 2 ms (a stop takes about 20 ms) to 20 ms (one that rolls back a
 * large load may take seconds).
 *
 * Where there is no /proc (macOS), a zombie cannot be told from a running
 * process, and a child that ends while this process is blocked in an exit
 * handler stays one until this process ends: there the postmaster.pid being
 * gone (the server's last act) counts as ended too.
 */
export function* stopping(server: Postmaster, dataDir: string): Steps<void> {
  const exited = children.get(server.pid);
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const named = () => {
    try {
      return readFileSync(pidFile, 'utf8').startsWith(`${server.pid}\n`);
    } catch {
      return false;
    }
  };
  const running = () => pidRuns(server.pid) && (HAS_PROC || named());
  for (const [name, ms] of [
    ['SIGINT', FAST_STOP_MS],
    ['SIGQUIT', IMMEDIATE_STOP_MS],
  ] as const) {
    signal(server.pid, name);
    const start = Date.now();
    while (running() && Date.now() < start + ms) {
      const pause = Math.min(Math.max((Date.now() - start) / 10, 2), 20);
      yield exited ? { until: exited, awaitMs: start + ms - Date.now(), ms: pause } : pause;
    }
    if (!running()) return;
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { assertReachable, ensureCluster, postgresUser } from './embedded-cluster.js';
import { ConnectionError } from './errors.js';
import { lock, LockBusyError, release, takingAtExit, type HeldLock } from './file-lock.js';
import { runningPostmaster, startPostmaster, stopPostmaster, stopPostmasterSync } from './postmaster.js';
import { addUser, countUsers, removeUser } from './server-users.js';
import { runStepsSync } from './steps.js';

// The embedded server is shared: every sparkify on the same folder (the app
// in one terminal, a reload in another) uses the one server running on it,
// and registers as one of its users (`server.users/`). Whichever leaves last,
// in whatever order they leave, stops it; a user whose process has ended
// (killed) no longer counts, so the next sparkify adopts a server that a
// killed last user left behind, and stops it when it leaves. Starting,
// joining, leaving and stopping happen under one lock (`server.lock`, see
// file-lock.ts), so two sparkify starting at once start one server, and one
// that starts while the last user is stopping the server waits for it to
// stop and starts it again.

export interface EmbeddedServer {
  port: number;
  user: string;
  password: string;
  /** Leaves the server: the last of its users stops it. */
  stop(): Promise<void>;
}

/** Where a project's server keeps its files, under `.sparkify/`. */
interface Place {
  stateDir: string;
  dataDir: string;
  lockFile: string;
  users: string;
}

/** Waiting longer than a start (initdb, then up to 30 s for the server) or a stop (up to 15 s) takes means something is wrong. */
const LOCK_TIMEOUT_MS = 60_000;
/** An exit handler cannot wait long: past this, the server is left to the next sparkify to adopt. */
const EXIT_LOCK_TIMEOUT_MS = 5_000;

function placeOf(stateDir: string): Place {
  return { stateDir, dataDir: path.join(stateDir, 'pgdata'), lockFile: path.join(stateDir, 'server.lock'), users: path.join(stateDir, 'server.users') };
}

/** The users this process has registered and not yet seen out: its exit handler sees them out. */
const usersHere = new Map<string, Place>();

/**
 * Starts the server on `<stateDir>/pgdata` (initialising the cluster the
 * first time), or joins the one running there, and registers this process as
 * one of its users.
 */
export async function startEmbeddedServer(stateDir: string): Promise<EmbeddedServer> {
  const place = placeOf(stateDir);
  try {
    const runAs = await postgresUser();
    await fs.mkdir(stateDir, { recursive: true });
    if (runAs.uid !== undefined) await assertReachable(stateDir, runAs);
    const held = await lock(place.lockFile, LOCK_TIMEOUT_MS);
    try {
      const credentials = await ensureCluster(stateDir, place.dataDir, runAs);
      const server = runningPostmaster(place.dataDir) ?? (await startPostmaster(place.dataDir, path.join(stateDir, 'postgres.log'), runAs, credentials));
      const user = addUser(place.users);
      if (usersHere.size === 0) process.once('exit', leaveAtExit);
      usersHere.set(user, place);
      let left: Promise<void> | undefined;
      return { ...credentials, port: server.port, stop: () => (left ??= leave(place, user)) };
    } finally {
      release(held);
    }
  } catch (error) {
    if (error instanceof LockBusyError) throw new ConnectionError(`the embedded server in ${stateDir} is busy: ${error.message}`);
    throw error instanceof Error && !(error instanceof ConnectionError) ? new ConnectionError(error.message) : error;
  }
}

async function leave(place: Place, user: string): Promise<void> {
  let held: HeldLock | null = null;
  try {
    held = await lock(place.lockFile, LOCK_TIMEOUT_MS);
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
  }
  try {
    removeUser(place.users, user);
    // Without the lock the server is left running, to be adopted by the next sparkify.
    if (held && countUsers(place.users) === 0) {
      const server = runningPostmaster(place.dataDir);
      if (server) await stopPostmaster(server);
    }
  } finally {
    if (held) release(held);
    usersHere.delete(user);
    if (usersHere.size === 0) process.removeListener('exit', leaveAtExit);
  }
}

/** On exit (a second Ctrl-C quits at once) the same, blocking: an exit handler cannot wait for promises. */
function leaveAtExit(): void {
  const places = new Map<string, Place>();
  for (const [user, place] of usersHere) {
    removeUser(place.users, user);
    places.set(place.stateDir, place);
  }
  usersHere.clear();
  for (const place of places.values()) {
    let held: HeldLock;
    try {
      held = runStepsSync(takingAtExit(place.lockFile, EXIT_LOCK_TIMEOUT_MS));
    } catch (error) {
      if (error instanceof LockBusyError) continue;
      throw error;
    }
    try {
      const server = countUsers(place.users) === 0 ? runningPostmaster(place.dataDir) : null;
      if (server) stopPostmasterSync(server, place.dataDir);
    } finally {
      release(held);
    }
  }
}

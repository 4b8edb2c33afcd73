import fs from 'node:fs/promises';
import path from 'node:path';
import { assertReachable, ensureCluster, postgresUser } from './embedded-cluster.js';
import { ConnectionError } from '../../../warehouse/errors.js';
import { lock, LockBusyError, release, taking, takingAtExit, type HeldLock } from './file-lock.js';
import { runningPostmaster, startPostmaster, stopping } from './postmaster.js';
import { addUser, countUsers, removeUser } from './server-users.js';
import { runSteps, runStepsSync, type Steps } from './steps.js';

// The embedded server is shared: every sparkify on the same folder (the app
// in one terminal, a reload in another) uses the one server running on it,
// and registers as one of its users (`server.users/`). Whichever leaves last,
// in whatever order they leave, stops it; a user whose process has ended
// (killed) no longer counts, so the next sparkify adopts a server that a
// killed last user left behind, and stops it when it leaves. Starting,
// joining, and the last user's counting and stopping, happen under one lock
// (`server.lock`, see file-lock.ts), so two sparkify starting at once start
// one server, and one that starts while the last user is stopping the server
// waits for it to stop and starts it again.

export interface EmbeddedServer {
  port: number;
  user: string;
  password: string;
  /** Leaves the server: the last of its users stops it. */
  leave(): Promise<void>;
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
      return { ...credentials, port: server.port, leave: () => (left ??= leave(place, user)) };
    } finally {
      release(held);
    }
  } catch (error) {
    if (error instanceof LockBusyError) throw new ConnectionError(`the embedded server in ${stateDir} is busy: ${error.message}`);
    throw error instanceof Error && !(error instanceof ConnectionError) ? new ConnectionError(error.message) : error;
  }
}

/**
 * The steps of leaving: this process's users are removed (without the lock:
 * see server-users.ts), then, under the lock, the server is stopped if no
 * user is left. Without the lock (busy past `timeoutMs`) the server is left
 * running, to be adopted by the next sparkify.
 */
function* leaving(place: Place, users: string[], take: (file: string, timeoutMs: number) => Steps<HeldLock>, timeoutMs: number): Steps<void> {
  for (const user of users) removeUser(place.users, user);
  let held: HeldLock;
  try {
    held = yield* take(place.lockFile, timeoutMs);
  } catch (error) {
    if (error instanceof LockBusyError) return;
    throw error;
  }
  try {
    const server = countUsers(place.users) === 0 ? runningPostmaster(place.dataDir) : null;
    if (server) yield* stopping(server, place.dataDir);
  } finally {
    release(held);
  }
}

async function leave(place: Place, user: string): Promise<void> {
  try {
    await runSteps(leaving(place, [user], taking, LOCK_TIMEOUT_MS));
  } finally {
    usersHere.delete(user);
    if (usersHere.size === 0) process.removeListener('exit', leaveAtExit);
  }
}

/**
 * On exit (a second Ctrl-C quits at once) the same, blocking: an exit handler
 * cannot wait for promises. The exit may have interrupted this process's own
 * start or leave while it held the lock: that hold is used, as that work will
 * never go on.
 */
function leaveAtExit(): void {
  const places = new Map<string, { place: Place; users: string[] }>();
  for (const [user, place] of usersHere) {
    const entry = places.get(place.stateDir) ?? { place, users: [] };
    places.set(place.stateDir, { place, users: [...entry.users, user] });
  }
  usersHere.clear();
  for (const { place, users } of places.values()) runStepsSync(leaving(place, users, takingAtExit, EXIT_LOCK_TIMEOUT_MS));
}

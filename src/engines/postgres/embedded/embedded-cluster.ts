import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadPostgresBinaries } from './embedded-binaries.js';
import { ConnectionError } from '../../../warehouse/errors.js';

const exec = promisify(execFile);

export interface Credentials {
  user: string;
  password: string;
}

/** The user the server runs as: unset for the current user. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

const USER = 'sparkify';

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (created if missing). */
export async function postgresUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await exec('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await exec('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    try {
      await exec('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    } catch (error) {
      // Another sparkify may have created it meanwhile.
      return ids().catch(() => Promise.reject(error as Error));
    }
    return ids();
  }
}

/** As root the server runs as `postgres`, which must be able to enter every folder above the data. */
export async function assertReachable(stateDir: string, runAs: RunAs): Promise<void> {
  try {
    await exec('/bin/sh', ['-c', 'test -x "$0" && test -r "$0"', stateDir], runAs);
  } catch {
    throw new Error(
      `the postgres user cannot reach ${stateDir} (as root, the embedded server runs as "postgres"): let it into the folders above (chmod o+x) or keep the project elsewhere`,
    );
  }
}

/**
 * The cluster's credentials, initialising it in dataDir the first time
 * (called under the server's lock). An initialised cluster is never removed:
 * without its credentials it is an error, and moving it away is the user's
 * choice.
 */
export async function ensureCluster(stateDir: string, dataDir: string, runAs: RunAs): Promise<Credentials> {
  const credentialsFile = path.join(stateDir, 'embedded.json');
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return readCredentials(credentialsFile, dataDir);
  if ((await fs.readdir(dataDir).catch(() => [])).length > 0) {
    throw new ConnectionError(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away to start afresh (a new, empty warehouse)`);
  }
  const credentials: Credentials = { user: USER, password: randomBytes(18).toString('base64url') };
  // initdb into a scratch folder and rename: a crash mid-init never leaves a half cluster.
  const scratch = `${dataDir}.init-${process.pid}`;
  const pwfile = path.join(stateDir, `.pwfile-${process.pid}`);
  const newCredentials = `${credentialsFile}.${process.pid}.new`;
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
    await exec(initdb, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' } }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb failed in ${stateDir}: ${(error.stderr ?? error.message).trim().split('\n').at(-1)}`);
    });
    // The credentials first, whole (written aside, then renamed), then the
    // cluster: a crash between the two leaves credentials for no cluster,
    // which the next start replaces, never a cluster without them.
    await fs.writeFile(newCredentials, JSON.stringify(credentials), { mode: 0o600 });
    await fs.rename(newCredentials, credentialsFile);
    await fs.rename(scratch, dataDir);
  } finally {
    await fs.rm(pwfile, { force: true });
    await fs.rm(newCredentials, { force: true });
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return credentials;
}

/** The credentials of an initialised cluster, from embedded.json. */
async function readCredentials(file: string, dataDir: string): Promise<Credentials> {
  const wayOut = `restore it, or move ${dataDir} away to start afresh (a new, empty warehouse)`;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConnectionError(`${file} is missing: it holds the password of the embedded cluster in ${dataDir}`, wayOut);
  }
  let credentials: Partial<Credentials> | null = null;
  try {
    credentials = JSON.parse(text) as Partial<Credentials> | null;
  } catch {
    // said below
  }
  if (typeof credentials?.user !== 'string' || typeof credentials.password !== 'string') {
    throw new ConnectionError(`${file} does not hold the embedded cluster's user and password (JSON with "user" and "password")`, wayOut);
  }
  return { user: credentials.user, password: credentials.password };
}

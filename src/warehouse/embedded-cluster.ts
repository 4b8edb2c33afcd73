import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadPostgresBinaries } from './embedded-binaries.js';

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
      return ids().catch(() => Promise.reject(error));
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

/** Initialises the cluster in dataDir the first time (called under the server's lock); its credentials. */
export async function ensureCluster(stateDir: string, dataDir: string, runAs: RunAs): Promise<Credentials> {
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

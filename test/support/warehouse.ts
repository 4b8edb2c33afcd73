import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import type { Warehouse } from '../../src/warehouse/connection.js';
import { MINI } from './fixtures.js';
import { tempDir } from './temp-dir.js';

export { tempDir };

/** Runs `work` as the test server's superuser, on its postgres database. */
async function asAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const server = inject('testServer');
  const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.user, password: server.password, database: 'postgres' });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A fresh database on the test run's server, named `name` or a new name. */
export async function createDatabase(name = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  await asAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  return name;
}

/**
 * Writes a dwh.cfg pointing at the given data and at a fresh database of the
 * test server, or at `database` when given (one made before, for another
 * session on it).
 */
export async function writeTestConfig(
  dataDir: string,
  { database, extra = '' }: { database?: string; extra?: string } = {},
): Promise<{ dir: string; file: string; database: string }> {
  const server = inject('testServer');
  database ??= await createDatabase();
  const dir = tempDir();
  const file = path.join(dir, 'dwh.cfg');
  writeFileSync(
    file,
    `[CLUSTER]
HOST=127.0.0.1
DB_NAME=${database}
DB_USER=${server.user}
DB_PASSWORD=${server.password}
DB_PORT=${server.port}

[S3]
LOG_DATA=${path.join(dataDir, 'log_data')}
LOG_JSONPATH=${path.join(dataDir, 'log_json_path.json')}
SONG_DATA=${path.join(dataDir, 'song_data')}
${extra}`,
  );
  return { dir, file, database };
}

/**
 * Makes the config written by writeTestConfig log in as `user` with `password`,
 * creating the role if it is missing (with that password), and, when `owner`,
 * making it the owner of the config's database, so that it can create tables.
 */
export async function logInAs(file: string, user: string, password: string, { owner = true } = {}): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const database = /DB_NAME=(.*)/.exec(text)![1]!;
  await asAdmin(async (admin) => {
    const role = admin.escapeIdentifier(user);
    // Test files run at once: another may create the same role first.
    await admin.query(
      `DO $$ BEGIN CREATE ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(password)}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
    if (owner) await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} OWNER TO ${role}`);
  });
  writeFileSync(
    file,
    text.replace(/DB_USER=.*/, `DB_USER=${user}`).replace(/DB_PASSWORD=.*/, () => `DB_PASSWORD=${password}`),
  );
}

/** The config of a dwh.cfg on a fresh database of the test server and the given data (see writeTestConfig). */
export async function loadTestConfig(dataDir = MINI): Promise<Config> {
  return loadConfig({ configPath: (await writeTestConfig(dataDir)).file });
}

export async function rows<T = Record<string, unknown>>(wh: Warehouse, sql: string, values: unknown[] = []): Promise<T[]> {
  return (await wh.query(sql, values)).rows as T[];
}

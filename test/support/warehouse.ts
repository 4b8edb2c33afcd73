import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { Warehouse } from '../../src/warehouse/connection.js';
import { tempDir } from './temp-dir.js';

export { tempDir };


/** A fresh database on the test run's server. */
export async function createDatabase(): Promise<string> {
  const server = inject('testServer');
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.user, password: server.password, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return name;
}

/** Writes a dwh.cfg pointing at a fresh database of the test server and at the given data. */
export async function writeTestConfig(dataDir: string, extra = ''): Promise<{ dir: string; file: string; database: string }> {
  const server = inject('testServer');
  const database = await createDatabase();
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
  const server = inject('testServer');
  const text = readFileSync(file, 'utf8');
  const database = /DB_NAME=(.*)/.exec(text)![1]!;
  const admin = new pg.Client({ host: '127.0.0.1', port: server.port, user: server.user, password: server.password, database: 'postgres' });
  await admin.connect();
  try {
    const role = admin.escapeIdentifier(user);
    // Test files run at once: another may create the same role first.
    await admin.query(
      `DO $$ BEGIN CREATE ROLE ${role} LOGIN PASSWORD ${admin.escapeLiteral(password)}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
    if (owner) await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} OWNER TO ${role}`);
  } finally {
    await admin.end();
  }
  writeFileSync(file, text.replace(/DB_USER=.*/, `DB_USER=${user}`).replace(/DB_PASSWORD=.*/, () => `DB_PASSWORD=${password}`));
}

export async function openTestWarehouse(dataDir: string): Promise<{ wh: Warehouse; config: Config; file: string }> {
  const { file } = await writeTestConfig(dataDir);
  const config = loadConfig({ configPath: file });
  return { wh: await Warehouse.open(config), config, file };
}

export async function rows<T = Record<string, unknown>>(wh: Warehouse, sql: string, values: unknown[] = []): Promise<T[]> {
  return (await wh.query(sql, values)).rows as T[];
}

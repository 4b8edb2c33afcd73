import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { postmasterPid } from './embedded-project.js';

/**
 * Runs SQL on a project's running embedded server, as any SQL client would:
 * with the credentials sparkify keeps in .sparkify/embedded.json and the
 * port in postmaster.pid. For looking at what a killed run left behind.
 */
export async function sqlOnEmbedded<R extends pg.QueryResultRow>(dir: string, sql: string): Promise<R[]> {
  const client = await connectTo(dir);
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * An analyst's open transaction that has read `table` on a project's running
 * embedded server: it holds the table until released, so a run's swap
 * (which must drop the table) cannot happen before then.
 */
export async function holdTable(dir: string, table: string): Promise<{ release(): Promise<void> }> {
  const client = await connectTo(dir);
  await client.query('BEGIN');
  await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

async function connectTo(dir: string): Promise<pg.Client> {
  if (postmasterPid(dir) === null) throw new Error(`no embedded server runs in ${dir}`);
  const port = Number(readFileSync(path.join(dir, '.sparkify/pgdata/postmaster.pid'), 'utf8').split('\n')[3]);
  const { user, password } = JSON.parse(readFileSync(path.join(dir, '.sparkify/embedded.json'), 'utf8')) as { user: string; password: string };
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'sparkify', application_name: 'an analyst (test)' });
  await client.connect();
  return client;
}

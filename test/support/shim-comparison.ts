import type { Warehouse } from '../../src/warehouse/connection.js';
import { rows } from './warehouse.js';

/** The star tables' columns compared, songplay_id aside (the two paths number plays apart). */
export const STAR_COLUMNS: Record<string, string> = {
  songplays: 'start_time, user_id, level, song_id, artist_id, session_id, location, user_agent',
  users: 'user_id, first_name, last_name, gender, level',
  songs: 'song_id, title, artist_id, "year", duration',
  artists: 'artist_id, name, location, latitude, longitude',
  time: 'start_time, "hour", "day", "week", "month", "year", weekday',
};

/**
 * On a warehouse the PostgreSQL path has loaded: its staging and load_history
 * kept in schema `source` (what the shim's COPYs read), its star tables in
 * schema `expected` (what the Redshift plan must give).
 */
export async function keepSourceAndExpected(wh: Warehouse): Promise<void> {
  await wh.query('CREATE SCHEMA source');
  await wh.query('CREATE SCHEMA expected');
  for (const table of ['staging_events', 'staging_songs', 'load_history']) await wh.query(`CREATE TABLE source.${table} AS SELECT * FROM ${table}`);
  for (const table of Object.keys(STAR_COLUMNS)) await wh.query(`CREATE TABLE expected."${table}" AS SELECT * FROM "${table}"`);
}

/** The rows in which each star table differs from the expected one, either way (0 each when they hold the same rows). */
export async function starDifferences(wh: Warehouse): Promise<Record<string, number>> {
  const differences: Record<string, number> = {};
  for (const [table, columns] of Object.entries(STAR_COLUMNS)) {
    const [found] = await rows<{ n: number }>(
      wh,
      `SELECT COUNT(*)::int AS n FROM ((SELECT ${columns} FROM "${table}" EXCEPT ALL SELECT ${columns} FROM expected."${table}")
       UNION ALL (SELECT ${columns} FROM expected."${table}" EXCEPT ALL SELECT ${columns} FROM "${table}")) d`,
    );
    differences[table] = found!.n;
  }
  return differences;
}

/**
 * The peer of `npm run bench` (issue 16): DuckDB doing sparkify's reload on
 * the same generated folder, in a fresh persistent file. The staging tables
 * are read with read_json, the star tables built with CREATE TABLE AS under
 * the semantics of src/sql/transforms.ts (songplay_id aside); no keys are
 * built. Each step is timed. bench/peer-checks.ts proves the tables and the
 * canned queries' answers equal sparkify's.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseJsonPathsFile } from '../src/etl/jsonpaths.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { STAGING_EVENTS, STAGING_SONGS, type Column, type ColumnType, type Table } from '../src/sql/schema.js';

export const DUCKDB_STAGES = ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time'] as const;
export type DuckDbStage = (typeof DUCKDB_STAGES)[number];

/** One run of the job: the whole (open, stages, checkpoint) and each stage, in ms; each table's rows. */
export interface DuckDbJob {
  ms: number;
  stagesMs: Record<DuckDbStage, number>;
  openMs: number;
  checkpointMs: number;
  counts: Record<DuckDbStage, number>;
}

/** The database the job leaves, open for the checks and the queries; close it when done. */
export interface DuckDbSession {
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Two threads as the machine has two cores. Reading 100,000 song files ran
 * out of memory without a limit and without giving up insertion order
 * (../shared/REFERENCE.md); row order is no part of any table's meaning.
 */
const OPTIONS = { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'false' };

const DUCKDB_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
};

const quoteText = (text: string) => `'${text.replaceAll("'", "''")}'`;
const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A staging column from its JSON field, as a DuckDB user would read it to
 * get sparkify's rows: numbers read as numbers, but those the data gives as
 * strings ("userId": "8", "" when logged out) read as text, a blank one NULL,
 * then cast; with emptyTextAsNull (the events' EMPTYASNULL) an empty text
 * is NULL. (Exactly sparkify's conversions (src/etl/copy-text.ts) also make
 * a text of white space NULL, and a blank string in any numeric field:
 * that made reading 100k events 1.4 to 1.7 times as long, and the generated
 * sets have neither; the digests of bench/peer-checks.ts would show them.)
 */
function stagingColumn(key: string, column: Column, emptyTextAsNull: boolean, numbersAsText: Set<string>): string {
  const field = quoteName(key);
  const name = quoteName(column.name);
  if (column.type === 'text') return `${emptyTextAsNull ? `NULLIF(${field}, '')` : field} AS ${name}`;
  if (numbersAsText.has(key)) return `CAST(NULLIF(trim(${field}), '') AS ${DUCKDB_TYPES[column.type]}) AS ${name}`;
  return `${field} AS ${name}`;
}

function readJsonSql(folder: string, keys: string[], columns: readonly Column[], numbersAsText: Set<string>): string {
  const types = keys.map((k, i) => `${quoteText(k)}: '${numbersAsText.has(k) ? 'VARCHAR' : DUCKDB_TYPES[columns[i]!.type]}'`);
  return `read_json(${quoteText(path.join(folder, '**/*.json'))}, format = 'newline_delimited', columns = {${types.join(', ')}})`;
}

/** The keys of numeric columns that DuckDB's own detection, on the first file, finds strings in. */
async function numbersAsText(connection: DuckDBConnection, folder: string, keys: string[], columns: readonly Column[]): Promise<Set<string>> {
  const [first] = jsonFilesUnder(folder);
  if (first === undefined) return new Set();
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_json(${quoteText(first)}, format = 'newline_delimited')`);
  const detected = new Map(reader.getRows().map(([name, type]) => [String(name), String(type)]));
  return new Set(keys.filter((k, i) => columns[i]!.type !== 'text' && detected.get(k) === 'VARCHAR'));
}

function eventKeys(dir: string): string[] {
  const paths = parseJsonPathsFile(readFileSync(path.join(dir, 'log_json_path.json'), 'utf8'), 'log_json_path.json');
  if (!paths.every((p) => p.topLevel) || paths.length !== STAGING_EVENTS.columns.length) {
    throw new Error(`${dir}/log_json_path.json: the peer maps top-level keys only, one per staging_events column`);
  }
  return paths.map((p) => p.key);
}

/** The song files' keys: the columns' names (the generated files' keys are lower-case). */
const SONG_KEYS = STAGING_SONGS.columns.map((c) => c.name);

function stagingSql(table: Table, folder: string, keys: string[], emptyTextAsNull: boolean, asText: Set<string>): string {
  const select = table.columns.map((c, i) => stagingColumn(keys[i]!, c, emptyTextAsNull, asText));
  return `CREATE TABLE ${table.name} AS\nSELECT ${select.join(',\n       ')}\nFROM ${readJsonSql(folder, keys, table.columns, asText)}`;
}

/** staging_events: the fields log_json_path.json maps (top-level keys, as the generated sets have), in its order. */
export async function stagingEventsSql(connection: DuckDBConnection, dir: string): Promise<string> {
  const folder = path.join(dir, 'log_data');
  const keys = eventKeys(dir);
  return stagingSql(STAGING_EVENTS, folder, keys, true, await numbersAsText(connection, folder, keys, STAGING_EVENTS.columns));
}

export async function stagingSongsSql(connection: DuckDBConnection, dir: string): Promise<string> {
  const folder = path.join(dir, 'song_data');
  return stagingSql(STAGING_SONGS, folder, SONG_KEYS, false, await numbersAsText(connection, folder, SONG_KEYS, STAGING_SONGS.columns));
}

/**
 * The star tables, each the SELECT of its transform in src/sql/transforms.ts
 * (the same ROW_NUMBER() picks and orders; PostgreSQL's NULLS FIRST of a
 * DESC order is the session's default_null_order), cast to the types of
 * src/sql/schema.ts. start_time: epoch_ms keeps the milliseconds.
 */
export const STAR_SQL: Record<Exclude<DuckDbStage, 'staging_events' | 'staging_songs'>, string> = {
  songplays: `CREATE TABLE songplays AS
SELECT epoch_ms(e.ts) AS start_time, e.userid AS user_id, e.level, s.song_id, s.artist_id,
       e.sessionid AS session_id, e.location, e.useragent AS user_agent
FROM staging_events e
LEFT JOIN (
  SELECT song_id, artist_id, title, artist_name, duration,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) AS pick
  FROM staging_songs
) s ON s.pick = 1 AND s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
WHERE e.page = 'NextSong' AND e.userid IS NOT NULL`,
  users: `CREATE TABLE users AS
SELECT userid AS user_id, firstname AS first_name, lastname AS last_name, gender, level
FROM (
  SELECT userid, firstname, lastname, gender, level,
         ROW_NUMBER() OVER (PARTITION BY userid ORDER BY ts DESC, sessionid DESC, iteminsession DESC) AS latest
  FROM staging_events
  WHERE userid IS NOT NULL
) u
WHERE latest = 1`,
  songs: `CREATE TABLE songs AS
SELECT song_id, title, artist_id, CAST(NULLIF("year", 0) AS SMALLINT) AS "year", duration
FROM (
  SELECT song_id, title, artist_id, "year", duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, "year", duration) AS pick
  FROM staging_songs
  WHERE song_id IS NOT NULL
) s
WHERE pick = 1`,
  artists: `CREATE TABLE artists AS
SELECT artist_id, artist_name AS name, NULLIF(artist_location, '') AS location,
       artist_latitude AS latitude, artist_longitude AS longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN artist_latitude IS NULL THEN 1 ELSE 0 END,
                    CASE WHEN COALESCE(artist_location, '') = '' THEN 1 ELSE 0 END,
                    artist_name, song_id
         ) AS pick
  FROM staging_songs
  WHERE artist_id IS NOT NULL
) a
WHERE pick = 1`,
  time: `CREATE TABLE "time" AS
SELECT start_time,
       CAST(EXTRACT(hour FROM start_time) AS SMALLINT) AS "hour", CAST(EXTRACT(day FROM start_time) AS SMALLINT) AS "day",
       CAST(EXTRACT(week FROM start_time) AS SMALLINT) AS "week", CAST(EXTRACT(month FROM start_time) AS SMALLINT) AS "month",
       CAST(EXTRACT(year FROM start_time) AS SMALLINT) AS "year", CAST(EXTRACT(dow FROM start_time) AS SMALLINT) AS weekday
FROM (SELECT DISTINCT start_time FROM songplays) t`,
};

/**
 * PostgreSQL sorts NULLs last in ascending orders and first in descending
 * ones; DuckDB, by default, last in both. The users' pick (ts DESC …) and
 * the canned queries need PostgreSQL's.
 */
export const POSTGRES_NULL_ORDER = `SET default_null_order = 'nulls_last_on_asc_first_on_desc'`;

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The job, in a fresh file at `dbFile` (removed first, with its WAL), on the data set folder `dir`. */
export async function runDuckDbJob(dir: string, dbFile: string): Promise<{ job: DuckDbJob; session: DuckDbSession }> {
  for (const f of [dbFile, `${dbFile}.wal`]) rmSync(f, { force: true });
  const started = performance.now();
  const instance = await DuckDBInstance.create(dbFile, OPTIONS);
  const connection = await instance.connect();
  await connection.run(POSTGRES_NULL_ORDER);
  const openMs = performance.now() - started;
  const stagesMs = {} as Record<DuckDbStage, number>;
  stagesMs.staging_events = await elapsed(async () => connection.run(await stagingEventsSql(connection, dir)));
  stagesMs.staging_songs = await elapsed(async () => connection.run(await stagingSongsSql(connection, dir)));
  for (const [table, sql] of Object.entries(STAR_SQL)) stagesMs[table as DuckDbStage] = await elapsed(() => connection.run(sql));
  const checkpointMs = await elapsed(() => connection.run('CHECKPOINT'));
  const ms = performance.now() - started;
  const counts = {} as Record<DuckDbStage, number>;
  const reader = await connection.runAndReadAll(DUCKDB_STAGES.map((t) => `SELECT '${t}' AS name, COUNT(*) AS n FROM ${quoteName(t)}`).join(' UNION ALL '));
  for (const [name, n] of reader.getRows()) counts[name as DuckDbStage] = Number(n);
  return {
    job: { ms, stagesMs, openMs, checkpointMs, counts },
    session: {
      connection,
      close: () => {
        connection.closeSync();
        instance.closeSync();
      },
    },
  };
}

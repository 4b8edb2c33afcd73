import { TableBuild } from './table-build.js';

import type { StarTableName } from './schema.js';

export type { StarTableName };

/** What the transforms need to know of their engine. */
export interface TransformDialect {
  /** Its `start_time` expression of `e.ts` (each engine's keeps the milliseconds). */
  startTimeSql: string;
  /** Whether it enforces keys and foreign keys as they are written (PostgreSQL; Redshift enforces none). */
  enforcesKeys: boolean;
}

/** songplays' columns as its transform fills them (songplay_id is generated). */
export const PLAY_COLUMNS = 'start_time, user_id, level, song_id, artist_id, session_id, location, user_agent';

/**
 * The time dimension's columns of a start_time, as whole numbers: DATE_PART
 * (a double) where EXTRACT gives a numeric on PostgreSQL, whose arithmetic
 * cost 0.56 s of the 1.6 s that time took at 1M events, for the same values.
 */
export const TIME_PARTS = ['hour', 'day', 'week', 'month', 'year', 'dow']
  .map((part) => `CAST(DATE_PART('${part}', start_time) AS SMALLINT)`)
  .join(',\n       ');

/** The events that are plays, as `e`. */
export const PLAYS = `e.page = 'NextSong' AND e.userid IS NOT NULL`;

/**
 * songplays' rows, in PLAY_COLUMNS' order, from the plays among `events`.
 * Every play is kept (left join); of several songs with the same title,
 * artist and duration one is picked, so no play is duplicated. With
 * `onlyTheirSongs`, only the songs titled as one of these plays are
 * numbered for the pick: the same pick, as a title's songs are numbered
 * together (an incremental day's plays, where numbering all 100k songs
 * took 0.4 s).
 */
export function playsSql(dialect: TransformDialect, events: string, songs: string, onlyTheirSongs = false): string {
  const theirSongs = onlyTheirSongs ? `\n  WHERE title IN (SELECT e.song FROM ${events} e WHERE ${PLAYS})` : '';
  return `SELECT ${dialect.startTimeSql}, e.userid, e.level, s.song_id, s.artist_id, e.sessionid, e.location, e.useragent
FROM ${events} e
LEFT JOIN (
  SELECT song_id, artist_id, title, artist_name, duration,
         ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id, artist_id) AS pick
  FROM ${songs}${theirSongs}
) s ON s.pick = 1 AND s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
WHERE ${PLAYS}`;
}

/**
 * The INSERT … SELECT that fills each star table from staging, the same
 * semantics on both dialects: duplicates are removed with ROW_NUMBER() and a
 * deterministic order (Redshift has no ON CONFLICT and enforces no keys).
 * Tables are named as `build` names them in the run.
 */
export function insertSql(table: StarTableName, dialect: TransformDialect, build = TableBuild.NONE): string {
  const t = (name: Parameters<TableBuild['ref']>[0]) => build.ref(name);
  switch (table) {
    case 'songplays':
      return `INSERT INTO ${t('songplays')} (${PLAY_COLUMNS})\n${playsSql(dialect, t('staging_events'), t('staging_songs'))}`;
    case 'users':
      // Attributes from the user's most recent event: level changes over time.
      return `INSERT INTO ${t('users')} (user_id, first_name, last_name, gender, level)
SELECT userid, firstname, lastname, gender, level
FROM (
  SELECT userid, firstname, lastname, gender, level,
         ROW_NUMBER() OVER (PARTITION BY userid ORDER BY ts DESC, sessionid DESC, iteminsession DESC) AS latest
  FROM ${t('staging_events')}
  WHERE userid IS NOT NULL
) u
WHERE latest = 1`;
    case 'songs':
      return `INSERT INTO ${t('songs')} (song_id, title, artist_id, "year", duration)
SELECT song_id, title, artist_id, NULLIF("year", 0), duration
FROM (
  SELECT song_id, title, artist_id, "year", duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, "year", duration) AS pick
  FROM ${t('staging_songs')}
  WHERE song_id IS NOT NULL
) s
WHERE pick = 1`;
    case 'artists':
      // One row per artist: the song file that says most about the artist wins.
      return `INSERT INTO ${t('artists')} (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, NULLIF(artist_location, ''), artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN artist_latitude IS NULL THEN 1 ELSE 0 END,
                    CASE WHEN COALESCE(artist_location, '') = '' THEN 1 ELSE 0 END,
                    artist_name, song_id
         ) AS pick
  FROM ${t('staging_songs')}
  WHERE artist_id IS NOT NULL
) a
WHERE pick = 1`;
    case 'time':
      return `INSERT INTO ${t('time')} (start_time, "hour", "day", "week", "month", "year", weekday)
SELECT start_time,
       ${TIME_PARTS}
FROM (SELECT DISTINCT start_time FROM ${t('songplays')}) t`;
  }
}

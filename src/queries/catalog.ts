/**
 * The canned analytical questions. Each SQL text runs unchanged on
 * PostgreSQL and Redshift (no `::` casts, no FILTER, no LIMIT inside
 * subqueries Redshift rejects).
 *
 * Written for speed on a large songplays (issue 16), with the results of
 * the plain forms (test/support/reference-queries.ts):
 * - a count of distinct users (or sessions) per group is taken as a count
 *   of (group, user) groups, each with its plays: a plain GROUP BY, which
 *   the server may run in parallel, where COUNT(DISTINCT) sorts every row;
 * - plays are counted per key before the dimensions are joined;
 * - the hour and weekday of a play are those of its start_time, which is
 *   what the time dimension holds for it (time is made from songplays'
 *   start times): not a join of every play.
 */
/** A value the user gives a query; it reaches the server as a bind parameter ($1, $2 …), never as SQL text. */
export interface QueryParam {
  name: string;
  description: string;
  type: 'text' | 'integer';
}

export interface CannedQuery {
  name: string;
  title: string;
  description: string;
  sql: string;
  /** In the order of their placeholders $1, $2 … */
  params?: QueryParam[];
  /** For distributions: the label and value columns of a bar chart. */
  chart?: { label: string; value: string };
}

const WEEKDAY_NAME = `CASE p.weekday WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday'
         WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' ELSE 'Saturday' END`;

export const QUERIES: readonly CannedQuery[] = [
  {
    name: 'top-songs',
    title: 'Top songs',
    description: 'The 10 most played songs (plays matched to a song file).',
    sql: `SELECT s.title, a.name AS artist, CAST(SUM(p.plays) AS BIGINT) AS plays
FROM (SELECT song_id, artist_id, COUNT(*) AS plays FROM songplays WHERE song_id IS NOT NULL GROUP BY song_id, artist_id) p
JOIN songs s ON s.song_id = p.song_id
JOIN artists a ON a.artist_id = p.artist_id
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, s.title, a.name
LIMIT 10`,
  },
  {
    name: 'top-artists',
    title: 'Top artists',
    description: 'The 10 most played artists, with how many listeners each has.',
    sql: `SELECT a.name AS artist, CAST(SUM(p.plays) AS BIGINT) AS plays, COUNT(p.user_id) AS listeners
FROM (SELECT artist_id, user_id, COUNT(*) AS plays FROM songplays WHERE artist_id IS NOT NULL GROUP BY artist_id, user_id) p
JOIN artists a ON a.artist_id = p.artist_id
GROUP BY a.artist_id, a.name
ORDER BY plays DESC, a.name
LIMIT 10`,
  },
  {
    name: 'plays-by-hour',
    title: 'Plays by hour of day',
    description: 'Song plays per hour of the day (UTC).',
    sql: `SELECT CAST(DATE_PART('hour', sp.start_time) AS SMALLINT) AS hour, COUNT(*) AS plays
FROM songplays sp
GROUP BY DATE_PART('hour', sp.start_time)
ORDER BY hour`,
    chart: { label: 'hour', value: 'plays' },
  },
  {
    name: 'plays-by-weekday',
    title: 'Plays by weekday',
    description: 'Song plays per day of the week (UTC), Sunday first.',
    sql: `SELECT p.weekday, ${WEEKDAY_NAME} AS day_name, p.plays
FROM (SELECT CAST(DATE_PART('dow', sp.start_time) AS SMALLINT) AS weekday, COUNT(*) AS plays FROM songplays sp GROUP BY DATE_PART('dow', sp.start_time)) p
ORDER BY p.weekday`,
    chart: { label: 'day_name', value: 'plays' },
  },
  {
    name: 'paid-vs-free',
    title: 'Paid vs free',
    description: 'Plays, listeners and share of plays by subscription level at the time of the play.',
    sql: `SELECT p.level, CAST(SUM(p.plays) AS BIGINT) AS plays, COUNT(p.user_id) AS users,
       ROUND(100.0 * CAST(SUM(p.plays) AS BIGINT) / SUM(CAST(SUM(p.plays) AS BIGINT)) OVER (), 1) AS pct_of_plays
FROM (SELECT level, user_id, COUNT(*) AS plays FROM songplays GROUP BY level, user_id) p
GROUP BY p.level
ORDER BY plays DESC, p.level`,
  },
  {
    name: 'plays-by-gender',
    title: 'Plays by gender',
    description: 'Plays and listeners by the gender users gave.',
    sql: `SELECT COALESCE(u.gender, '?') AS gender, CAST(SUM(p.plays) AS BIGINT) AS plays, COUNT(*) AS users
FROM (SELECT user_id, COUNT(*) AS plays FROM songplays GROUP BY user_id) p
JOIN users u ON u.user_id = p.user_id
GROUP BY COALESCE(u.gender, '?')
ORDER BY plays DESC, gender`,
  },
  {
    name: 'top-locations',
    title: 'Top locations',
    description: 'The 10 locations with the most plays.',
    sql: `SELECT p.location, CAST(SUM(p.plays) AS BIGINT) AS plays, COUNT(p.user_id) AS users
FROM (SELECT location, user_id, COUNT(*) AS plays FROM songplays WHERE location IS NOT NULL GROUP BY location, user_id) p
GROUP BY p.location
ORDER BY plays DESC, p.location
LIMIT 10`,
  },
  {
    name: 'most-active-users',
    title: 'Most active users',
    description: 'The 10 users with the most plays, with their sessions and current level.',
    sql: `SELECT u.user_id, u.first_name, u.last_name, u.level, CAST(SUM(p.plays) AS BIGINT) AS plays, COUNT(p.session_id) AS sessions
FROM (SELECT user_id, session_id, COUNT(*) AS plays FROM songplays GROUP BY user_id, session_id) p
JOIN users u ON u.user_id = p.user_id
GROUP BY u.user_id, u.first_name, u.last_name, u.level
ORDER BY plays DESC, u.user_id
LIMIT 10`,
  },
  {
    name: 'daily-plays',
    title: 'Daily plays',
    description: 'Plays and active users per day (UTC).',
    sql: `SELECT p.day, CAST(SUM(p.plays) AS BIGINT) AS plays, COUNT(p.user_id) AS users
FROM (SELECT CAST(DATE_TRUNC('day', start_time) AS DATE) AS day, user_id, COUNT(*) AS plays FROM songplays GROUP BY CAST(DATE_TRUNC('day', start_time) AS DATE), user_id) p
GROUP BY p.day
ORDER BY p.day`,
    chart: { label: 'day', value: 'plays' },
  },
  {
    name: 'user-agents',
    title: 'Devices',
    description: 'Plays and users by the platform in the user agent.',
    sql: `SELECT platform, CAST(SUM(plays) AS BIGINT) AS plays, COUNT(user_id) AS users
FROM (
  SELECT platform, user_id, SUM(plays) AS plays
  FROM (
    SELECT user_id,
           CASE WHEN user_agent LIKE '%iPhone%' OR user_agent LIKE '%iPad%' THEN 'iOS'
                WHEN user_agent LIKE '%Android%' THEN 'Android'
                WHEN user_agent LIKE '%Windows%' THEN 'Windows'
                WHEN user_agent LIKE '%Macintosh%' THEN 'macOS'
                WHEN user_agent LIKE '%Linux%' THEN 'Linux'
                ELSE 'Other' END AS platform,
           plays
    FROM (SELECT user_agent, user_id, COUNT(*) AS plays FROM songplays GROUP BY user_agent, user_id) a
  ) p
  GROUP BY platform, user_id
) u
GROUP BY platform
ORDER BY plays DESC, platform`,
  },
  {
    name: 'song-match-rate',
    title: 'Song match rate',
    description: 'How many plays were matched to a song file (title, artist and duration).',
    sql: `SELECT COUNT(*) AS plays, COUNT(sp.song_id) AS matched,
       ROUND(100.0 * COUNT(sp.song_id) / NULLIF(COUNT(*), 0), 2) AS match_pct
FROM songplays sp`,
  },
  {
    name: 'artist-plays',
    title: 'One artist',
    description: "An artist's songs by plays, with their listeners (the name in any case).",
    params: [{ name: 'artist', description: 'the artist, as named in the song files', type: 'text' }],
    sql: `SELECT a.name AS artist, s.title, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS listeners
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
JOIN artists a ON a.artist_id = sp.artist_id
WHERE LOWER(a.name) = LOWER($1)
GROUP BY a.name, s.song_id, s.title
ORDER BY plays DESC, s.title
LIMIT 20`,
  },
  {
    name: 'user-history',
    title: 'One user',
    description: 'The 20 most recent plays of a user, matched or not.',
    params: [{ name: 'user', description: 'the user_id', type: 'integer' }],
    sql: `SELECT sp.start_time, sp.level, s.title, a.name AS artist, sp.session_id
FROM songplays sp
LEFT JOIN songs s ON s.song_id = sp.song_id
LEFT JOIN artists a ON a.artist_id = sp.artist_id
WHERE sp.user_id = $1
ORDER BY sp.start_time DESC
LIMIT 20`,
  },
];

export function queryNamed(name: string): CannedQuery | undefined {
  return QUERIES.find((q) => q.name === name);
}

/**
 * The canned analytical questions. Each SQL text runs unchanged on
 * PostgreSQL and Redshift (no `::` casts, no FILTER, no LIMIT inside
 * subqueries Redshift rejects).
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

const WEEKDAY_NAME = `CASE t.weekday WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday'
         WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' ELSE 'Saturday' END`;

export const QUERIES: readonly CannedQuery[] = [
  {
    name: 'top-songs',
    title: 'Top songs',
    description: 'The 10 most played songs (plays matched to a song file).',
    sql: `SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, s.title, a.name
LIMIT 10`,
  },
  {
    name: 'top-artists',
    title: 'Top artists',
    description: 'The 10 most played artists, with how many listeners each has.',
    sql: `SELECT a.name AS artist, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS listeners
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY a.artist_id, a.name
ORDER BY plays DESC, a.name
LIMIT 10`,
  },
  {
    name: 'plays-by-hour',
    title: 'Plays by hour of day',
    description: 'Song plays per hour of the day (UTC).',
    sql: `SELECT t."hour" AS hour, COUNT(*) AS plays
FROM songplays sp
JOIN "time" t ON t.start_time = sp.start_time
GROUP BY t."hour"
ORDER BY t."hour"`,
    chart: { label: 'hour', value: 'plays' },
  },
  {
    name: 'plays-by-weekday',
    title: 'Plays by weekday',
    description: 'Song plays per day of the week (UTC), Sunday first.',
    sql: `SELECT t.weekday, ${WEEKDAY_NAME} AS day_name, COUNT(*) AS plays
FROM songplays sp
JOIN "time" t ON t.start_time = sp.start_time
GROUP BY t.weekday
ORDER BY t.weekday`,
    chart: { label: 'day_name', value: 'plays' },
  },
  {
    name: 'paid-vs-free',
    title: 'Paid vs free',
    description: 'Plays, listeners and share of plays by subscription level at the time of the play.',
    sql: `SELECT sp.level, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS pct_of_plays
FROM songplays sp
GROUP BY sp.level
ORDER BY plays DESC`,
  },
  {
    name: 'plays-by-gender',
    title: 'Plays by gender',
    description: 'Plays and listeners by the gender users gave.',
    sql: `SELECT COALESCE(u.gender, '?') AS gender, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
GROUP BY COALESCE(u.gender, '?')
ORDER BY plays DESC`,
  },
  {
    name: 'top-locations',
    title: 'Top locations',
    description: 'The 10 locations with the most plays.',
    sql: `SELECT sp.location, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
WHERE sp.location IS NOT NULL
GROUP BY sp.location
ORDER BY plays DESC, sp.location
LIMIT 10`,
  },
  {
    name: 'most-active-users',
    title: 'Most active users',
    description: 'The 10 users with the most plays, with their sessions and current level.',
    sql: `SELECT u.user_id, u.first_name, u.last_name, u.level, COUNT(*) AS plays, COUNT(DISTINCT sp.session_id) AS sessions
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
GROUP BY u.user_id, u.first_name, u.last_name, u.level
ORDER BY plays DESC, u.user_id
LIMIT 10`,
  },
  {
    name: 'daily-plays',
    title: 'Daily plays',
    description: 'Plays and active users per day (UTC).',
    sql: `SELECT CAST(DATE_TRUNC('day', sp.start_time) AS DATE) AS day, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
GROUP BY CAST(DATE_TRUNC('day', sp.start_time) AS DATE)
ORDER BY day`,
    chart: { label: 'day', value: 'plays' },
  },
  {
    name: 'user-agents',
    title: 'Devices',
    description: 'Plays and users by the platform in the user agent.',
    sql: `SELECT platform, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS users
FROM (
  SELECT sp.user_id,
         CASE WHEN sp.user_agent LIKE '%iPhone%' OR sp.user_agent LIKE '%iPad%' THEN 'iOS'
              WHEN sp.user_agent LIKE '%Android%' THEN 'Android'
              WHEN sp.user_agent LIKE '%Windows%' THEN 'Windows'
              WHEN sp.user_agent LIKE '%Macintosh%' THEN 'macOS'
              WHEN sp.user_agent LIKE '%Linux%' THEN 'Linux'
              ELSE 'Other' END AS platform
  FROM songplays sp
) p
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

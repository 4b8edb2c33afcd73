/**
 * The canned queries' SQL as it was before they were rewritten for speed
 * (issue 16): the oracle the rewritten catalog's results must equal, on
 * every data set the tests load. The queries not rewritten (the song match
 * rate, one artist, one user) are not here.
 */
const WEEKDAY_NAME = `CASE t.weekday WHEN 0 THEN 'Sunday' WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday'
         WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' ELSE 'Saturday' END`;

export const REFERENCE_QUERIES: Record<string, string> = {
  'top-songs': `SELECT s.title, a.name AS artist, COUNT(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, s.title, a.name
LIMIT 10`,
  'top-artists': `SELECT a.name AS artist, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS listeners
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
GROUP BY a.artist_id, a.name
ORDER BY plays DESC, a.name
LIMIT 10`,
  'plays-by-hour': `SELECT t."hour" AS hour, COUNT(*) AS plays
FROM songplays sp
JOIN "time" t ON t.start_time = sp.start_time
GROUP BY t."hour"
ORDER BY t."hour"`,
  'plays-by-weekday': `SELECT t.weekday, ${WEEKDAY_NAME} AS day_name, COUNT(*) AS plays
FROM songplays sp
JOIN "time" t ON t.start_time = sp.start_time
GROUP BY t.weekday
ORDER BY t.weekday`,
  'paid-vs-free': `SELECT sp.level, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS pct_of_plays
FROM songplays sp
GROUP BY sp.level
ORDER BY plays DESC`,
  'plays-by-gender': `SELECT COALESCE(u.gender, '?') AS gender, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
GROUP BY COALESCE(u.gender, '?')
ORDER BY plays DESC`,
  'top-locations': `SELECT sp.location, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
WHERE sp.location IS NOT NULL
GROUP BY sp.location
ORDER BY plays DESC, sp.location
LIMIT 10`,
  'most-active-users': `SELECT u.user_id, u.first_name, u.last_name, u.level, COUNT(*) AS plays, COUNT(DISTINCT sp.session_id) AS sessions
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
GROUP BY u.user_id, u.first_name, u.last_name, u.level
ORDER BY plays DESC, u.user_id
LIMIT 10`,
  'daily-plays': `SELECT CAST(DATE_TRUNC('day', sp.start_time) AS DATE) AS day, COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS users
FROM songplays sp
GROUP BY CAST(DATE_TRUNC('day', sp.start_time) AS DATE)
ORDER BY day`,
  'user-agents': `SELECT platform, COUNT(*) AS plays, COUNT(DISTINCT user_id) AS users
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
};

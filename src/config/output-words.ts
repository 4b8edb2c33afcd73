import net from 'node:net';
import { REDSHIFT_RESERVED_WORDS } from '../sql/redshift-reserved-words.js';
import { TABLES } from '../sql/schema.js';
import { BUILD_SUFFIX } from '../sql/table-build.js';
import { ENGINE_KINDS, type Config } from './types.js';

/**
 * The words of sparkify's SQL that PostgreSQL lists as keywords
 * (pg_get_keywords()) and Redshift does not reserve; with Redshift's
 * reserved words, these are the SQL keywords a server's message may quote.
 * test/output-words.test.ts holds the list to the statements sparkify sends.
 */
export const POSTGRES_KEYWORDS_USED: ReadonlySet<string> = new Set(
  `ADD ALTER ALWAYS BEGIN BIGINT BY CLOSE COALESCE COMMIT COPY CURRENT_SCHEMA CURSOR DATABASE DAY DECLARE DELETE DOUBLE DROP EXECUTE
  EXISTS FETCH FORMAT FORWARD GENERATED GRANTED HOUR IF INDEX INSERT INTEGER JSON KEY KEYS LEVEL LOCAL LOCATION LOCK LOCKED
  MATCHED METHOD NAME NULLIF OVER PRECISION READ RELEASE RENAME REPLACE RESET ROLLBACK SAVEPOINT SEQUENCE SESSION SET SMALLINT
  SOURCE STATISTICS STDIN TABLES TEMP TEXT TRIM UNLOGGED UPDATE VALUES VARCHAR VERSION`
    .split(/\s+/)
    .filter(Boolean),
);

/** Sparkify's tables (and their build names) and columns, and its engines, which are also its dialects' names. */
const NAMES: ReadonlySet<string> = new Set([
  ...TABLES.flatMap((t) => [t.name, `${t.name}${BUILD_SUFFIX}`, ...t.columns.map((c) => c.name), ...(t.fileIdColumn ? [t.fileIdColumn] : [])]),
  ...ENGINE_KINDS,
]);

/**
 * The names the configuration gives the warehouse, as a server's message
 * quotes them: the user and database, and the host with each of its
 * dot-separated parts (a name's, not an IP address's); `more` adds those
 * sparkify logs in with (the embedded server's user).
 */
export function configuredNames(config: Config, ...more: string[]): string[] {
  const { user, database, host } = config.cluster;
  const names = new Set([user, database, host, ...(net.isIP(host) ? [] : host.split('.')), ...more]);
  return [...names].filter((name) => name.length > 0);
}

/**
 * Whether a secret is also a word sparkify's output or a server's messages
 * use as a name: a table or column of sparkify's, an engine or dialect
 * (`postgres`), a SQL keyword (in any case), or one of `names` (see
 * configuredNames). Standing alone in outside text such a secret cannot be
 * told from the word (`relation "songplays"`, `role "postgres"`), so it is
 * masked only where the context says it is a secret. Any other secret is
 * masked wherever it stands whole.
 */
export function isOutputWord(secret: string, names: readonly string[] = []): boolean {
  if (NAMES.has(secret) || names.includes(secret)) return true;
  const keyword = secret.toUpperCase();
  return REDSHIFT_RESERVED_WORDS.has(keyword) || POSTGRES_KEYWORDS_USED.has(keyword);
}

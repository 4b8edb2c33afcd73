import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { createTableSql } from '../src/sql/render-ddl.js';
import { POSTGRES_DDL } from '../src/engines/postgres/ddl.js';
import { postgresEngine } from '../src/engines/postgres/engine.js';
import { REDSHIFT_DDL } from '../src/engines/redshift/ddl.js';
import { redshiftEngine } from '../src/engines/redshift/engine.js';
import { TableBuild } from '../src/sql/table-build.js';
import { copyEventsSql, copySongsSql } from '../src/engines/redshift/copy.js';
import { quoteLiteral } from '../src/sql/literals.js';
import { CREATION_ORDER, SONGPLAYS, STAGING_EVENTS, TABLES, USERS } from '../src/sql/schema.js';
import { insertSql } from '../src/sql/transforms.js';
import { tempDir } from './support/temp-dir.js';
import { EVENT_KEYS } from './support/events.js';

describe('one schema, two dialects', () => {
  it('renders Redshift songplays with IDENTITY(0,1), DISTKEY(song_id) and SORTKEY(start_time), built beside the live table', () => {
    expect(createTableSql(SONGPLAYS, REDSHIFT_DDL, TableBuild.ALL)).toBe(`CREATE TABLE songplays__build (
  songplay_id BIGINT IDENTITY(0,1) NOT NULL,
  start_time TIMESTAMP NOT NULL,
  user_id INTEGER NOT NULL,
  level VARCHAR(16),
  song_id VARCHAR(32),
  artist_id VARCHAR(32),
  session_id INTEGER,
  location VARCHAR(512),
  user_agent VARCHAR(1024),
  PRIMARY KEY (songplay_id),
  CONSTRAINT songplays_start_time_fkey FOREIGN KEY (start_time) REFERENCES time__build (start_time),
  CONSTRAINT songplays_user_id_fkey FOREIGN KEY (user_id) REFERENCES users__build (user_id),
  CONSTRAINT songplays_song_id_fkey FOREIGN KEY (song_id) REFERENCES songs__build (song_id),
  CONSTRAINT songplays_artist_id_fkey FOREIGN KEY (artist_id) REFERENCES artists__build (artist_id)
)
DISTSTYLE KEY DISTKEY (song_id)
SORTKEY (start_time)`);
  });

  it('renders PostgreSQL songplays bare, with an identity, and its keys once the rows are in', () => {
    const sql = createTableSql(SONGPLAYS, POSTGRES_DDL, TableBuild.ALL);
    expect(sql).toMatch(
      /^CREATE TABLE songplays__build \(\n {2}songplay_id BIGINT GENERATED ALWAYS AS IDENTITY CONSTRAINT songplays_songplay_id_not_null NOT NULL,\n {2}start_time TIMESTAMP CONSTRAINT songplays_start_time_not_null NOT NULL,/,
    );
    expect(sql).not.toMatch(/PRIMARY KEY|FOREIGN KEY|DISTKEY|SORTKEY|DISTSTYLE/);
    expect(
      postgresEngine()
        .keysSql(TableBuild.ALL)
        .filter((s) => s.startsWith('ALTER TABLE songplays__build')),
    ).toEqual([
      'ALTER TABLE songplays__build ADD CONSTRAINT songplays__build_pkey PRIMARY KEY (songplay_id)',
      'ALTER TABLE songplays__build ADD CONSTRAINT songplays_start_time_fkey FOREIGN KEY (start_time) REFERENCES time__build (start_time)',
      'ALTER TABLE songplays__build ADD CONSTRAINT songplays_user_id_fkey FOREIGN KEY (user_id) REFERENCES users__build (user_id)',
      'ALTER TABLE songplays__build ADD CONSTRAINT songplays_song_id_fkey FOREIGN KEY (song_id) REFERENCES songs__build (song_id)',
      'ALTER TABLE songplays__build ADD CONSTRAINT songplays_artist_id_fkey FOREIGN KEY (artist_id) REFERENCES artists__build (artist_id)',
    ]);
    expect(redshiftEngine('provisioned').keysSql(TableBuild.ALL)).toEqual([]);
  });

  it('makes staging UNLOGGED on PostgreSQL and DISTSTYLE EVEN on Redshift, dimensions DISTSTYLE ALL', () => {
    expect(createTableSql(STAGING_EVENTS, POSTGRES_DDL)).toMatch(/^CREATE UNLOGGED TABLE staging_events \(\n {2}artist TEXT,/);
    expect(createTableSql(STAGING_EVENTS, REDSHIFT_DDL)).toMatch(/\nDISTSTYLE EVEN$/);
    expect(createTableSql(USERS, REDSHIFT_DDL)).toMatch(/\nDISTSTYLE ALL\nSORTKEY \(user_id\)$/);
  });

  it('stores fractional numbers as DOUBLE PRECISION, never a bare DECIMAL', () => {
    for (const variant of [POSTGRES_DDL, REDSHIFT_DDL]) {
      const ddl = TABLES.map((t) => createTableSql(t, variant)).join('\n');
      expect(ddl).not.toMatch(/DECIMAL|NUMERIC|REAL\b/);
      expect(ddl.match(/DOUBLE PRECISION/g)).toHaveLength(8); // length, registration; latitude, longitude, duration; duration; latitude, longitude
    }
  });

  it('lists the staging columns in the order of log_json_path.json', () => {
    expect(STAGING_EVENTS.columns.map((c) => c.name)).toEqual(EVENT_KEYS.map((key) => key.toLowerCase()));
  });

  it("swaps a reload's new tables in: the live ones dropped in reverse order, the new ones renamed with their keys, indexes and identity", () => {
    const swap = postgresEngine().swapSql(TableBuild.ALL);
    expect(swap.slice(0, TABLES.length)).toEqual([
      'DROP TABLE IF EXISTS load_digests',
      'DROP TABLE IF EXISTS load_history',
      'DROP TABLE IF EXISTS load_errors',
      'DROP TABLE IF EXISTS songplays',
      'DROP TABLE IF EXISTS "time"',
      'DROP TABLE IF EXISTS artists',
      'DROP TABLE IF EXISTS songs',
      'DROP TABLE IF EXISTS users',
      'DROP TABLE IF EXISTS staging_songs',
      'DROP TABLE IF EXISTS staging_events',
    ]);
    expect(swap.filter((s) => s.includes('songplays__build'))).toEqual([
      'ALTER TABLE songplays__build RENAME TO songplays',
      'ALTER INDEX songplays__build_pkey RENAME TO songplays_pkey',
      'ALTER INDEX songplays__build_start_time_idx RENAME TO songplays_start_time_idx',
      'ALTER INDEX songplays__build_user_id_idx RENAME TO songplays_user_id_idx',
      'ALTER INDEX songplays__build_song_id_idx RENAME TO songplays_song_id_idx',
      'ALTER INDEX songplays__build_artist_id_idx RENAME TO songplays_artist_id_idx',
      'ALTER SEQUENCE songplays__build_songplay_id_seq RENAME TO songplays_songplay_id_seq',
    ]);
    expect(redshiftEngine('provisioned').swapSql(TableBuild.ALL).slice(TABLES.length)).toEqual(
      CREATION_ORDER.map((t) => `ALTER TABLE ${t.name}__build RENAME TO ${t.name === 'time' ? '"time"' : t.name}`),
    );
  });

  it("moves a kept table's foreign key to a rebuilt table: proven before the swap on PostgreSQL, declared at it on Redshift", () => {
    const users = new TableBuild(['users']);
    expect(postgresEngine().keysSql(users)).toEqual([
      'ALTER TABLE users__build ADD CONSTRAINT users__build_pkey PRIMARY KEY (user_id)',
      'ALTER TABLE songplays ADD CONSTRAINT songplays_user_id_fkey__build FOREIGN KEY (user_id) REFERENCES users__build (user_id)',
    ]);
    expect(postgresEngine().swapSql(users)).toEqual([
      'ALTER TABLE songplays DROP CONSTRAINT IF EXISTS songplays_user_id_fkey',
      'DROP TABLE IF EXISTS users',
      'ALTER TABLE users__build RENAME TO users',
      'ALTER INDEX users__build_pkey RENAME TO users_pkey',
      'ALTER TABLE songplays RENAME CONSTRAINT songplays_user_id_fkey__build TO songplays_user_id_fkey',
    ]);
    expect(redshiftEngine('provisioned').swapSql(users)).toEqual([
      'ALTER TABLE songplays DROP CONSTRAINT songplays_user_id_fkey',
      'DROP TABLE IF EXISTS users',
      'ALTER TABLE users__build RENAME TO users',
      'ALTER TABLE songplays ADD CONSTRAINT songplays_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id)',
    ]);
  });

  it('converts ts with its milliseconds on both dialects', () => {
    expect(insertSql('songplays', postgresEngine())).toContain(`TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond'`);
    expect(insertSql('songplays', redshiftEngine('provisioned'))).toContain(`TIMESTAMP 'epoch' + (e.ts / 1000.0) * INTERVAL '1 second'`);
  });
});

describe('Redshift COPY', () => {
  const config = () => {
    const dir = tempDir();
    return loadConfig({
      cwd: dir,
      env: {
        SPARKIFY_CLUSTER_HOST: 'c.abc.us-east-1.redshift.amazonaws.com',
        SPARKIFY_IAM_ROLE_ARN: 'arn:aws:iam::123456789012:role/dwhRole',
        SPARKIFY_S3_LOG_DATA: 's3://udacity-dend/log_data',
        SPARKIFY_S3_LOG_JSONPATH: 's3://udacity-dend/log_json_path.json',
        SPARKIFY_S3_SONG_DATA: 's3://udacity-dend/song_data',
      },
    });
  };

  it('copies the events through the jsonpaths file with the conversions the transforms rely on', () => {
    // The source's columns named: the table's file_id is not in the files (see the incremental fill).
    expect(copyEventsSql(config())).toBe(`COPY staging_events (${STAGING_EVENTS.columns.map((c) => c.name).join(', ')}) FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
REGION 'us-west-2'
TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF`);
  });

  it("copies the songs with 'auto' and ACCEPTINVCHARS", () => {
    expect(copySongsSql(config()))
      .toBe(`COPY staging_songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, "year") FROM 's3://udacity-dend/song_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 'auto' ACCEPTINVCHARS
REGION 'us-west-2'
TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF`);
  });

  it('never renders a MAXERROR above 100,000, whoever asks: the run fails with the same line', () => {
    expect(copySongsSql(config(), 100_000)).toMatch(/\nMAXERROR 100000$/);
    expect(() => copyEventsSql(config(), 100_001)).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: "--max-errors 100001 is above Redshift's limit: its COPY leaves out at most 100,000 bad rows (MAXERROR)",
      }),
    );
  });

  it('quotes every value as a literal that cannot end the statement', () => {
    expect(quoteLiteral("arn:aws:iam::1:role/x'; DROP TABLE users; --")).toBe("'arn:aws:iam::1:role/x''; DROP TABLE users; --'");
    expect(quoteLiteral("a\\'b")).toBe("'a\\\\''b'");
  });
});

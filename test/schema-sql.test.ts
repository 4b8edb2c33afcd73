import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { createTableSql, resetSchemaSql } from '../src/sql/render-ddl.js';
import { copyEventsSql, copySongsSql } from '../src/sql/redshift-copy.js';
import { quoteLiteral } from '../src/sql/literals.js';
import { SONGPLAYS, STAGING_EVENTS, TABLES, USERS } from '../src/sql/schema.js';
import { insertSql } from '../src/sql/transforms.js';
import { tempDir } from './support/temp-dir.js';

describe('one schema, two dialects', () => {
  it('renders Redshift songplays with IDENTITY(0,1), DISTKEY(song_id) and SORTKEY(start_time)', () => {
    expect(createTableSql(SONGPLAYS, 'redshift')).toBe(`CREATE TABLE songplays (
  songplay_id BIGINT IDENTITY(0,1) NOT NULL,
  start_time TIMESTAMP NOT NULL,
  user_id INTEGER NOT NULL,
  level VARCHAR(16),
  song_id VARCHAR(32),
  artist_id VARCHAR(32),
  session_id INTEGER,
  location VARCHAR(512),
  user_agent VARCHAR(1024),
  CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id),
  CONSTRAINT songplays_start_time_fkey FOREIGN KEY (start_time) REFERENCES "time" (start_time),
  CONSTRAINT songplays_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id),
  CONSTRAINT songplays_song_id_fkey FOREIGN KEY (song_id) REFERENCES songs (song_id),
  CONSTRAINT songplays_artist_id_fkey FOREIGN KEY (artist_id) REFERENCES artists (artist_id)
)
DISTSTYLE KEY DISTKEY (song_id)
SORTKEY (start_time)`);
  });

  it('renders PostgreSQL songplays with an identity and enforced foreign keys', () => {
    const sql = createTableSql(SONGPLAYS, 'postgres');
    expect(sql).toContain('songplay_id BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL');
    expect(sql).toContain('CONSTRAINT songplays_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (user_id)');
    expect(sql).not.toMatch(/DISTKEY|SORTKEY|DISTSTYLE/);
  });

  it('makes staging UNLOGGED on PostgreSQL and DISTSTYLE EVEN on Redshift, dimensions DISTSTYLE ALL', () => {
    expect(createTableSql(STAGING_EVENTS, 'postgres')).toMatch(/^CREATE UNLOGGED TABLE staging_events \(\n {2}artist TEXT,/);
    expect(createTableSql(STAGING_EVENTS, 'redshift')).toMatch(/\nDISTSTYLE EVEN$/);
    expect(createTableSql(USERS, 'redshift')).toMatch(/\nDISTSTYLE ALL\nSORTKEY \(user_id\)$/);
  });

  it('stores fractional numbers as DOUBLE PRECISION, never a bare DECIMAL', () => {
    for (const dialect of ['postgres', 'redshift'] as const) {
      const ddl = resetSchemaSql(dialect).join('\n');
      expect(ddl).not.toMatch(/DECIMAL|NUMERIC|REAL\b/);
      expect(ddl.match(/DOUBLE PRECISION/g)).toHaveLength(8); // length, registration; latitude, longitude, duration; duration; latitude, longitude
    }
  });

  it('lists the staging columns in the order of log_json_path.json', () => {
    expect(STAGING_EVENTS.columns.map((c) => c.name)).toEqual([
      'artist', 'auth', 'firstname', 'gender', 'iteminsession', 'lastname', 'length', 'level', 'location',
      'method', 'page', 'registration', 'sessionid', 'song', 'status', 'ts', 'useragent', 'userid',
    ]);
  });

  it('drops in reverse order and creates every table with the indexes queries join on', () => {
    const statements = resetSchemaSql('postgres');
    expect(statements.slice(0, TABLES.length)).toEqual([
      'DROP TABLE IF EXISTS load_errors CASCADE',
      'DROP TABLE IF EXISTS songplays CASCADE',
      'DROP TABLE IF EXISTS "time" CASCADE',
      'DROP TABLE IF EXISTS artists CASCADE',
      'DROP TABLE IF EXISTS songs CASCADE',
      'DROP TABLE IF EXISTS users CASCADE',
      'DROP TABLE IF EXISTS staging_songs CASCADE',
      'DROP TABLE IF EXISTS staging_events CASCADE',
    ]);
    expect(statements.filter((s) => s.startsWith('CREATE INDEX'))).toEqual([
      'CREATE INDEX songplays_start_time_idx ON songplays (start_time)',
      'CREATE INDEX songplays_user_id_idx ON songplays (user_id)',
      'CREATE INDEX songplays_song_id_idx ON songplays (song_id)',
      'CREATE INDEX songplays_artist_id_idx ON songplays (artist_id)',
    ]);
  });

  it('converts ts with its milliseconds on both dialects', () => {
    expect(insertSql('songplays', 'postgres')).toContain(`TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond'`);
    expect(insertSql('songplays', 'redshift')).toContain(`TIMESTAMP 'epoch' + (e.ts / 1000.0) * INTERVAL '1 second'`);
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
    expect(copyEventsSql(config())).toBe(`COPY staging_events FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
REGION 'us-west-2'
TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF`);
  });

  it("copies the songs with 'auto' and ACCEPTINVCHARS", () => {
    expect(copySongsSql(config())).toBe(`COPY staging_songs FROM 's3://udacity-dend/song_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 'auto' ACCEPTINVCHARS
REGION 'us-west-2'
TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF`);
  });

  it('quotes every value as a literal that cannot end the statement', () => {
    expect(quoteLiteral("arn:aws:iam::1:role/x'; DROP TABLE users; --")).toBe("'arn:aws:iam::1:role/x''; DROP TABLE users; --'");
    expect(quoteLiteral('a\\\'b')).toBe("'a\\\\''b'");
  });
});

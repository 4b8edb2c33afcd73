import type { Config } from '../config/types.js';
import { clearTableSql, insertSql, type StarTableName } from '../sql/transforms.js';
import { copyEventsSql, copySongsSql } from '../sql/redshift-copy.js';
import { STAGING_EVENTS, STAGING_SONGS, tableNamed, type Table } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import { runChecks } from './checks.js';
import { copyIntoStaging, type CopyProgress } from './copy-into-staging.js';
import type { StageName, StageResult } from './events.js';
import { parseJsonPathsFile } from './jsonpaths.js';
import { eventRowEncoder, songRowEncoder, type RowEncoder } from './row-encoders.js';
import { openSource } from './sources/open-source.js';
import { describeLocation } from '../config/location.js';
import { ensureDefaultSample } from '../generate/default-sample.js';

export interface StageContext {
  wh: Warehouse;
  config: Config;
  signal: AbortSignal;
  progress(progress: CopyProgress): void;
}

export interface Stage {
  name: StageName;
  run(ctx: StageContext): Promise<StageResult>;
}

const EVENT_JOIN_COLUMNS = ['page', 'song', 'artist', 'length', 'userid'];
const SONG_JOIN_COLUMNS = ['title', 'artist_name', 'duration', 'song_id', 'artist_id'];

async function extract(ctx: StageContext, table: Table, which: 'events' | 'songs'): Promise<StageResult> {
  const { wh, config, signal } = ctx;
  if (config.defaultSample && wh.dialect === 'postgres') ensureDefaultSample(config.defaultSample);
  await wh.query(clearTableSql(table, wh.dialect), [], signal);
  if (wh.dialect === 'redshift') {
    await wh.query(which === 'events' ? copyEventsSql(config) : copySongsSql(config), [], signal);
    const { rows } = await wh.query<{ n: number }>('SELECT pg_last_copy_count() AS n', [], signal);
    return { rows: Number(rows[0]!.n) };
  }
  const location = which === 'events' ? config.s3.logData : config.s3.songData;
  let encode: RowEncoder;
  if (which === 'events') {
    const pathsFile = openSource(config.s3.logJsonPath, config);
    encode = eventRowEncoder(parseJsonPathsFile(await pathsFile.readText(), describeLocation(config.s3.logJsonPath)), table, describeLocation(config.s3.logJsonPath));
  } else {
    encode = songRowEncoder(table);
  }
  const files = await openSource(location, config).list();
  const result = await copyIntoStaging(wh, table, files, encode, { signal, onProgress: ctx.progress });
  // Fresh statistics on the columns the transforms filter and join on: without
  // them the planner guesses and may join by nested loop (songplays 13x slower
  // at 10k events). All columns would cost ~0.3 s more at 100k events.
  await wh.query(`ANALYZE ${table.name} (${(which === 'events' ? EVENT_JOIN_COLUMNS : SONG_JOIN_COLUMNS).join(', ')})`, [], signal);
  return { rows: result.rows, bytes: result.bytes };
}

function transform(name: StarTableName): Stage {
  return {
    name,
    async run({ wh, signal }) {
      await wh.query(clearTableSql(tableNamed(name), wh.dialect), [], signal);
      const result = await wh.query(insertSql(name, wh.dialect), [], signal);
      return { rows: result.rowCount ?? 0 };
    },
  };
}

export const STAGES: readonly Stage[] = [
  { name: 'staging_events', run: (ctx) => extract(ctx, STAGING_EVENTS, 'events') },
  { name: 'staging_songs', run: (ctx) => extract(ctx, STAGING_SONGS, 'songs') },
  transform('songplays'),
  transform('users'),
  transform('songs'),
  transform('artists'),
  transform('time'),
  {
    name: 'checks',
    async run({ wh, signal }) {
      return { rows: await runChecks(wh, signal), unit: 'checks' };
    },
  },
];

/** The stages that write star tables: while they run, PostgreSQL's foreign keys are dropped. */
export const STAR_STAGES: ReadonlySet<StageName> = new Set(['songplays', 'users', 'songs', 'artists', 'time']);

export function stageNamed(name: StageName): Stage {
  return STAGES.find((s) => s.name === name)!;
}

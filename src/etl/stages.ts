import type { Config } from '../config/types.js';
import { clearTableSql, insertSql, type StarTableName } from '../sql/transforms.js';
import { copyEventsSql, copySongsSql } from '../sql/redshift-copy.js';
import { STAGING_EVENTS, STAGING_SONGS, tableNamed, type Table } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { DialectName } from '../warehouse/dialect.js';
import { analyzeSql, copyFromStdinSql } from '../sql/staging-load.js';
import { copyOnRedshift } from './redshift-load-errors.js';
import { CHECKS, runChecks } from './checks.js';
import { copyIntoStaging, type CopyProgress } from './copy-into-staging.js';
import type { StageName, StageResult } from './events.js';
import { parseJsonPathsFile } from './jsonpaths.js';
import { eventRows, songRows, type RowMapping } from './row-encoders.js';
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
  /** The statements run() sends, for `--dry-run`; rows the client streams are named in a comment. */
  plan(dialect: DialectName, config: Config): string[];
}

function extractPlan(table: Table, which: 'events' | 'songs', dialect: DialectName, config: Config): string[] {
  if (dialect === 'redshift') return [clearTableSql(table, dialect), which === 'events' ? copyEventsSql(config) : copySongsSql(config)];
  const from = describeLocation(which === 'events' ? config.s3.logData : config.s3.songData);
  const mapping = which === 'events' ? ` through ${describeLocation(config.s3.logJsonPath)}` : ' by field name';
  return [clearTableSql(table, dialect), `-- rows streamed by sparkify from every *.json under ${from}${mapping}\n${copyFromStdinSql(table)}`, analyzeSql(table)];
}

async function extract(ctx: StageContext, table: Table, which: 'events' | 'songs'): Promise<StageResult> {
  const { wh, config, signal } = ctx;
  if (config.defaultSample && wh.dialect === 'postgres') ensureDefaultSample(config.defaultSample);
  const [clear, copy, analyze] = extractPlan(table, which, wh.dialect, config);
  await wh.query(clear!, [], signal);
  if (wh.dialect === 'redshift') {
    await copyOnRedshift(wh, copy!, signal);
    const { rows } = await wh.query<{ n: number }>('SELECT pg_last_copy_count() AS n', [], signal);
    return { rows: Number(rows[0]!.n) };
  }
  const location = which === 'events' ? config.s3.logData : config.s3.songData;
  let mapping: RowMapping;
  if (which === 'events') {
    const pathsName = describeLocation(config.s3.logJsonPath);
    const pathsText = await openSource(config.s3.logJsonPath, config).readText();
    mapping = eventRows(parseJsonPathsFile(pathsText, pathsName), table, pathsName);
  } else {
    mapping = songRows(table);
  }
  const source = openSource(location, config);
  const files = await source.list();
  const result = await copyIntoStaging(wh, table, { files: files.length, contents: source.contents(files) }, mapping, { signal, onProgress: ctx.progress });
  await wh.query(analyze!, [], signal);
  return { rows: result.rows, bytes: result.bytes };
}

function transform(name: StarTableName): Stage {
  const plan = (dialect: DialectName) => [clearTableSql(tableNamed(name), dialect), insertSql(name, dialect)];
  return {
    name,
    plan,
    async run({ wh, signal }) {
      const [clear, insert] = plan(wh.dialect);
      await wh.query(clear!, [], signal);
      const result = await wh.query(insert!, [], signal);
      return { rows: result.rowCount ?? 0 };
    },
  };
}

export const STAGES: readonly Stage[] = [
  {
    name: 'staging_events',
    run: (ctx) => extract(ctx, STAGING_EVENTS, 'events'),
    plan: (dialect, config) => extractPlan(STAGING_EVENTS, 'events', dialect, config),
  },
  {
    name: 'staging_songs',
    run: (ctx) => extract(ctx, STAGING_SONGS, 'songs'),
    plan: (dialect, config) => extractPlan(STAGING_SONGS, 'songs', dialect, config),
  },
  transform('songplays'),
  transform('users'),
  transform('songs'),
  transform('artists'),
  transform('time'),
  {
    name: 'checks',
    plan: () => CHECKS.map((check) => check.sql),
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

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config, RedshiftSystemViews } from '../../src/config/types.js';
import { STAGE_NAMES } from '../../src/etl/events.js';
import { planPipeline, planReset } from '../../src/etl/runner.js';
import { planRun, printedPlan } from '../../src/etl/run-plan.js';
import { tableDelta, type LoadedFile, type TableDelta } from '../../src/etl/incremental/delta.js';
import { LOAD_SUMMARY_SQL } from '../../src/etl/load-summary.js';
import type { ListedFile } from '../../src/etl/sources/source.js';
import { STAGING_TABLES, type StagingTableName } from '../../src/sql/schema.js';
import { CURRENT_DIGESTS_SQL, LOAD_DIGESTS_PRESENT_SQL } from '../../src/sql/load-digests.js';
import { readLoadHistorySql } from '../../src/sql/load-history.js';
import { QUERIES } from '../../src/queries/catalog.js';
import { CURRENT_SCHEMA_SQL, previewCountSql, previewRowsSql } from '../../src/queries/table-preview.js';
import { redshiftMonitoring } from '../../src/engines/redshift/system-views.js';
import { redshiftEngine } from '../../src/engines/redshift/engine.js';
import { DEPENDENT_VIEWS_SQL } from '../../src/sql/swap.js';
import { TABLES } from '../../src/sql/schema.js';
import { lockTableSql } from '../../src/engines/redshift/lock-table.js';
import { countRowsSql, PRESENT_TABLES_SQL } from '../../src/warehouse/table-counts.js';
import { adhocStatements, DECLARE_CURSOR_PREFIX } from '../../src/adhoc/adhoc-sql.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/adhoc/timeout.js';
import { tempDir } from './temp-dir.js';
import { udacityCfg } from './udacity-cfg.js';

/** The Udacity dwh.cfg, loaded as a provisioned cluster's or, with SERVERLESS=true, as Serverless. */
export function redshiftConfig(views: RedshiftSystemViews): Config {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'dwh.cfg'), udacityCfg());
  return loadConfig({ cwd: dir, env: views === 'serverless' ? { SPARKIFY_CLUSTER_SERVERLESS: 'true' } : {} });
}

export interface SentStatement {
  /** Where it comes from: `serverless: etl --stage users --max-errors 25`, `query top-songs`. */
  from: string;
  views: RedshiftSystemViews | 'both';
  sql: string;
}

/**
 * Everything the Redshift dialect sends, on a provisioned cluster and on
 * Serverless: every plan (reset, reload, etl and each of its stages, with and
 * without --max-errors, each between the run lock's statements), the lock
 * table's statements, the look-up of a failed COPY's rows, of the views that
 * stop a swap, the row counts of status and the home screen, the cancel,
 * every canned query, a table's preview (its rows, count, types, size), and
 * what sparkify sql sends around a statement.
 */
/** What an incremental run reads before it plans: the digests, then the records of the tables that changed. */
const INCREMENTAL_READS = [LOAD_DIGESTS_PRESENT_SQL, CURRENT_DIGESTS_SQL, readLoadHistorySql(STAGING_TABLES)];

export function redshiftStatements(): SentStatement[] {
  const all: SentStatement[] = [];
  for (const views of ['provisioned', 'serverless'] as const) {
    const config = redshiftConfig(views);
    const add = (from: string, statements: readonly string[]) => all.push(...statements.map((sql) => ({ from: `${views}: ${from}`, views, sql })));
    add('reset', planReset(redshiftEngine(views), config));
    for (const maxErrors of [0, 25]) {
      add(`reload --max-errors ${maxErrors}`, planPipeline(redshiftEngine(views), config, { reset: true, maxErrors }));
      add(`etl --max-errors ${maxErrors}`, planPipeline(redshiftEngine(views), config, { maxErrors }));
      for (const stage of STAGE_NAMES)
        add(`etl --stage ${stage} --max-errors ${maxErrors}`, planPipeline(redshiftEngine(views), config, { stages: [stage], maxErrors }));
    }
    for (const [what, deltas] of incrementalCases(config)) {
      for (const maxErrors of [0, 25]) {
        const plan = planRun(redshiftEngine(views), config, { incremental: { deltas, startedAt: new Date(0), sent: INCREMENTAL_READS }, maxErrors });
        add(`etl --incremental (${what}) --max-errors ${maxErrors}`, printedPlan(plan));
      }
    }
    add('the run lock', Object.values(lockTableSql('redshift', views)));
    add("a failed COPY's rows", [redshiftMonitoring(views).copyFailureRows]);
    add('sparkify sql', [...adhocStatements(redshiftEngine(views), DEFAULT_TIMEOUT_MS), `${DECLARE_CURSOR_PREFIX}SELECT 1`]);
    add("a table's preview: its columns' types and its size", [redshiftEngine(views).previewColumnsSql, redshiftEngine(views).tableSizeSql]);
  }
  const both = (from: string, sql: string) => all.push({ from, views: 'both', sql });
  both('the views on a table', DEPENDENT_VIEWS_SQL);
  both('status: the tables there', PRESENT_TABLES_SQL);
  both('status: their rows', countRowsSql(TABLES.map((t) => t.name)));
  both('status: the files loaded', LOAD_SUMMARY_SQL);
  both('connecting', 'select version()');
  both('a cancel', 'select pg_cancel_backend($1)');
  both('a cancel that ends the session', 'select pg_terminate_backend($1)');
  for (const query of QUERIES) both(`query ${query.name}`, query.sql);
  both("a table's preview: the schema", CURRENT_SCHEMA_SQL);
  for (const table of TABLES) {
    both(`a preview of ${table.name}: its rows`, previewRowsSql(table.name));
    both(`a preview of ${table.name}: its row count`, previewCountSql(table.name));
  }
  return all;
}

/**
 * An incremental run's three shapes: new event files only (appended), a
 * changed event file and a new song file (rebuilt, the old rows removed),
 * and a pruned file.
 */
function incrementalCases(config: Config): [string, TableDelta[]][] {
  const listed = (uri: string, name: string): ListedFile => ({ name: `${uri}/${name}`, size: 100, modifiedMs: 0, etag: 'e1' });
  const loaded = (table: StagingTableName, uri: string, name: string, fileId: number): LoadedFile => ({
    fileId,
    table,
    location: `${uri}/${name}`,
    sizeBytes: 90,
    modifiedMs: null,
    etag: 'e0',
    runKind: 'incremental',
  });
  const events = config.s3.logData.uri;
  const songs = config.s3.songData.uri;
  const history = [
    loaded('staging_events', events, 'a.json', 1),
    loaded('staging_events', events, 'gone.json', 2),
    loaded('staging_songs', songs, 's.json', 1),
  ];
  const sameSongs = listed(songs, 's.json');
  sameSongs.etag = 'e0';
  sameSongs.size = 90;
  return [
    ['new events', [tableDelta('staging_events', [listed(events, 'b.json')], history, false), tableDelta('staging_songs', [sameSongs], history, false)]],
    [
      'a changed file, a new song',
      [
        tableDelta('staging_events', [listed(events, 'a.json')], history, false),
        tableDelta('staging_songs', [sameSongs, listed(songs, 't.json')], history, false),
      ],
    ],
    ['--prune', [tableDelta('staging_events', [], history, true), tableDelta('staging_songs', [sameSongs], history, true)]],
  ];
}

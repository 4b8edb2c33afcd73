import { describeLocation } from '../../config/location.js';
import type { Config } from '../../config/types.js';
import { copyLoadErrorsSql } from '../../sql/load-errors.js';
import { copyLoadHistorySql } from '../../sql/load-history.js';
import { analyzeSql, copyFromStdinSql } from '../../sql/staging-load.js';
import { statement } from '../../sql/statement.js';
import type { Engine, ListedFill, StagingFill } from '../engine.js';
import { describeFiles } from '../listed-files.js';
import { TableBuild } from '../../sql/table-build.js';
import type { Statement } from '../../sql/statement.js';
import { acquireAdvisoryLock, ADVISORY_LOCK_PLAN } from './advisory-lock.js';
import { startEmbeddedServer } from './embedded/embedded-server.js';
import { CONSTRAINTS_IN_PLACE_SQL } from './constraints.js';
import { POSTGRES_DDL, statisticsTargetSql, summarizeBlockRangesSql } from './ddl.js';
import { copyGrantsSql } from './grants.js';
import { FLUSH_BEFORE_SWAP_SQL, SWAP_STEP_BACK, swapAttemptSql } from './swap-attempt.js';
import { keysSql, SWAP_BLOCKERS_SQL, swapSql } from './swap.js';
import { POSTGRES_PREVIEW_COLUMNS_SQL, POSTGRES_TABLE_SIZE_SQL } from './table-preview.js';

/**
 * PostgreSQL, any server's or the embedded one (its local variant, which
 * sparkify starts itself and so may checkpoint before a swap). The client
 * reads the files and streams their rows into COPY … FROM STDIN; keys and
 * constraints are enforced, and built once the rows are in.
 */
export function postgresEngine({ embedded = false } = {}): Engine {
  return {
    dialect: 'postgres',
    description: 'postgres dialect',
    ddl: POSTGRES_DDL,
    ...(embedded ? { startServer: (config: Config) => startEmbeddedServer(config.stateDir) } : {}),
    // Milliseconds kept.
    startTimeSql: `TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond'`,
    enforcesKeys: true,
    maxErrorsProblem: () => null,
    setupTableSql: statisticsTargetSql,
    keysSql,
    constraintsInPlaceSql: CONSTRAINTS_IN_PLACE_SQL,
    planStagingFill: streamedFill,
    planListedFill: streamedListedFill,
    reloadRowsKnowTheirFile: true,
    runListedServerFill: () => Promise.reject(new Error('PostgreSQL staging is streamed by the client, not copied by the server')),
    runServerCopy: () => Promise.reject(new Error('PostgreSQL staging is streamed by the client, not copied by the server')),
    lockPlan: () => ADVISORY_LOCK_PLAN,
    acquireRunLock: acquireAdvisoryLock,
    grantsSql: copyGrantsSql,
    flushBeforeSwap: embedded ? [statement(FLUSH_BEFORE_SWAP_SQL.sql, { note: FLUSH_BEFORE_SWAP_SQL.why, secondConnection: true })] : [],
    swapAttemptSql,
    swapStepBackSql: SWAP_STEP_BACK,
    swapSql,
    previewColumnsSql: POSTGRES_PREVIEW_COLUMNS_SQL,
    tableSizeSql: POSTGRES_TABLE_SIZE_SQL,
    swapBlockersSql: SWAP_BLOCKERS_SQL,
    columnsCatalogSql: `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    // standard_conforming_strings is on by default since PostgreSQL 9.1.
    backslashEscapesInStrings: false,
  };
}

/** The client streams the rows it makes of the files, then the rows it left out (if any), then ANALYZE. */
function streamedFill(...[table, source, config, build, maxErrors]: Parameters<Engine['planStagingFill']>): StagingFill {
  const from = describeLocation(source === 'events' ? config.s3.logData : config.s3.songData);
  const mapping = source === 'events' ? ` through ${describeLocation(config.s3.logJsonPath)}` : ' by field name';
  return {
    kind: 'stream',
    started: null,
    copy: statement(copyFromStdinSql(table, build), { note: `rows streamed by sparkify from every *.json under ${from}${mapping}` }),
    count: null,
    recordErrors:
      maxErrors > 0 ? statement(copyLoadErrorsSql(build), { onlyIf: `rows were left out (up to ${maxErrors} with --max-errors): they are streamed in` }) : null,
    analyze: statement(analyzeSql(table, build)),
    recordLoads: statement(copyLoadHistorySql(build), { note: 'a row per file loaded: its location, size, modification time or ETag, rows and rejected rows' }),
  };
}

/** An incremental run's fill: the new files' rows, each ending with its file id, then what was left out, the files' records, ANALYZE. */
function streamedListedFill(...[table, source, config, files, maxErrors]: Parameters<Engine['planListedFill']>): ListedFill {
  const fill = streamedFill(table, source, config, TableBuild.NONE, maxErrors);
  const n = files.toLoad.length;
  const copy = statement(fill.copy.sql, { note: `rows streamed by sparkify from the ${n} new or changed file${n === 1 ? '' : 's'}:\n${describeFiles(files)}` });
  const recordLoads = fill.recordLoads!;
  const analyze = fill.analyze!;
  const summarize = table.blockRangeIndex ? statement(summarizeBlockRangesSql(table)) : null;
  const statements = [copy, fill.recordErrors, recordLoads, analyze, summarize].filter((s): s is Statement => s !== null);
  return { kind: 'stream', copy, recordErrors: fill.recordErrors, recordLoads, analyze, summarize, statements };
}

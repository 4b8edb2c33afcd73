import type { RedshiftSystemViews } from '../../config/types.js';
import { statement } from '../../sql/statement.js';
import type { Engine } from '../engine.js';
import { copyEventsSql, copySongsSql, redshiftMaxErrorsProblem } from './copy.js';
import { REDSHIFT_DDL } from './ddl.js';
import { COPY_STARTED_SQL, copyOnRedshift } from './load-errors.js';
import { planRedshiftListedFill, runRedshiftListedFill } from './listed-fill.js';
import { acquireTableLock, lockTablePlan } from './lock-table.js';
import { swapSql } from './swap.js';
import { recordPrefixLoadsSql, redshiftMonitoring } from './system-views.js';
import { REDSHIFT_PREVIEW_COLUMNS_SQL, REDSHIFT_TABLE_SIZE_SQL } from './table-preview.js';

/**
 * Amazon Redshift, a provisioned cluster or Serverless (they differ in the
 * system views they keep). The cluster reads S3 itself (COPY … FROM
 * 's3://…'); keys are declared, not enforced; a row in a lock table stands
 * for the advisory lock it lacks; and it has no savepoints, so its swap
 * cannot step back and try again.
 */
export function redshiftEngine(views: RedshiftSystemViews): Engine {
  return {
    dialect: 'redshift',
    description: `redshift dialect, ${views === 'serverless' ? 'Serverless' : 'provisioned cluster'}`,
    ddl: REDSHIFT_DDL,
    // Milliseconds kept.
    startTimeSql: `TIMESTAMP 'epoch' + (e.ts / 1000.0) * INTERVAL '1 second'`,
    enforcesKeys: false,
    maxErrorsProblem: redshiftMaxErrorsProblem,
    setupTableSql: () => [],
    keysSql: () => [],
    constraintsInPlaceSql: null,
    planStagingFill: (table, source, config, build, maxErrors) => ({
      kind: 'server',
      started: statement(COPY_STARTED_SQL),
      copy: statement(source === 'events' ? copyEventsSql(config, maxErrors, build) : copySongsSql(config, maxErrors, build)),
      count: statement('SELECT pg_last_copy_count() AS n'),
      recordErrors: maxErrors > 0 ? statement(redshiftMonitoring(views).recordLoadErrors(table, build)) : null,
      analyze: null,
      recordLoads: statement(recordPrefixLoadsSql(table, build)),
    }),
    planListedFill: (table, source, config, files, maxErrors) => planRedshiftListedFill(views, table, source, config, files, maxErrors),
    runListedServerFill: runRedshiftListedFill,
    runServerCopy: copyOnRedshift,
    reloadRowsKnowTheirFile: false,
    lockPlan: () => lockTablePlan(views),
    acquireRunLock: (wh) => acquireTableLock(wh, 'redshift', views),
    grantsSql: () => [],
    flushBeforeSwap: [],
    swapAttemptSql: () => [],
    swapStepBackSql: [],
    swapSql,
    previewColumnsSql: REDSHIFT_PREVIEW_COLUMNS_SQL,
    tableSizeSql: REDSHIFT_TABLE_SIZE_SQL,
    swapBlockersSql: null,
    // SVV_COLUMNS, not information_schema: it also lists the columns of late-binding views (the Guide, SVV_COLUMNS).
    columnsCatalogSql: `SELECT table_name, column_name, data_type FROM svv_columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    // Its literals keep PostgreSQL 8's escapes: QUOTE_LITERAL doubles backslashes as well as quotes (the Guide, QUOTE_LITERAL).
    backslashEscapesInStrings: true,
  };
}

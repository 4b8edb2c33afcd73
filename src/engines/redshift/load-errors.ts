import type { Warehouse } from '../../warehouse/connection.js';
import { messageOf } from '../../error-message.js';
import { redshiftMonitoring } from './system-views.js';

interface LoadError {
  filename: string;
  line_number: number;
  colname: string;
  err_reason: string;
}

/**
 * The server's time just before a COPY, from which its error rows are
 * looked up: the server's clock, as the views record, not this machine's.
 */
export const COPY_STARTED_SQL = 'SELECT GETDATE() AS started';

/**
 * A Redshift COPY that fails says only "Check 'stl_load_errors' system table
 * for details": read that table (SYS_LOAD_ERROR_DETAIL on Serverless) for
 * this session's load, from a second connection, as this session's
 * transaction has failed, and put its first rows into the error.
 */
export async function copyOnRedshift(wh: Warehouse, startedSql: string, copySql: string, signal: AbortSignal): Promise<void> {
  const { started } = (await wh.query<{ started: string }>(startedSql, [], signal)).rows[0]!;
  try {
    await wh.query(copySql, [], signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const { rows } = await wh
      .querySideways<LoadError>(redshiftMonitoring(wh.config.redshiftSystemViews).copyFailureRows, [wh.backendPid, started])
      .catch(() => ({ rows: [] as LoadError[] }));
    if (rows.length === 0) throw error;
    const details = rows.map((r) => `${r.filename}:${r.line_number} ${r.colname}: ${r.err_reason}`).join('; ');
    throw new Error(`${messageOf(error)}: ${details}`, { cause: error });
  }
}

import type { Config } from '../../config/types.js';
import { STAGING_TABLES, type StagingTableName } from '../../sql/schema.js';
import type { Warehouse } from '../../warehouse/connection.js';
import type { FileChanges } from '../events.js';
import { sourceOf } from '../extract-stage.js';
import { readLoadHistory } from '../load-history.js';
import type { FoundChanges } from '../run-plan.js';
import { tableDelta, type TableDelta } from './delta.js';

/**
 * Compares each staging table's source with what load_history records of it
 * (read inside the run's transaction, once it holds the run lock, so no
 * other run changes it meanwhile): what is new, changed, missing.
 */
export async function findChanges(wh: Warehouse, config: Config, prune: boolean, startedAt: Date, signal?: AbortSignal): Promise<FoundChanges> {
  // The sources are listed (by the reader thread, for a folder) while the history is read.
  const listings = STAGING_TABLES.map((table) => sourceOf(config, table.source!).catalog());
  for (const listing of listings) listing.catch(() => {});
  const history = await readLoadHistory(wh, signal);
  const deltas: TableDelta[] = [];
  for (const [i, table] of STAGING_TABLES.entries()) {
    const listing = await listings[i]!;
    signal?.throwIfAborted();
    deltas.push(tableDelta(table.name as StagingTableName, listing, history, prune));
  }
  return { deltas, startedAt };
}

/** The counts the run reports of what it found. */
export function fileChanges(deltas: readonly TableDelta[]): FileChanges[] {
  return deltas.map((d) => ({
    table: d.table,
    added: d.toLoad.length - d.replaced.length,
    changed: d.replaced.length,
    missing: d.missing.length,
    pruned: d.prune,
    unchanged: d.unchanged,
  }));
}

import type { StagingTableName } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';

/** What load_history holds, in short: for status, and the app's Home and Schema screens. */
export interface LoadSummary {
  /** Per staging table: the files loaded and their rows. */
  tables: { table: StagingTableName; files: number; rows: number }[];
  /** The last incremental run that loaded a file: when it began, and what it loaded. */
  lastIncremental: { at: string; files: number; rows: number } | null;
}

/** load_history by table and by run. */
export const LOAD_SUMMARY_SQL = `SELECT table_name, run_kind, loaded_at, COUNT(*) AS files, SUM(row_count) AS row_count
FROM load_history GROUP BY table_name, run_kind, loaded_at ORDER BY loaded_at`;

interface RunRow {
  table_name: StagingTableName;
  run_kind: string;
  loaded_at: string;
  files: number;
  row_count: number | null;
}

/** What is loaded, or null where load_history does not exist (a warehouse made before it, or none yet). */
export async function loadSummary(wh: Warehouse, signal?: AbortSignal): Promise<LoadSummary | null> {
  let rows: RunRow[];
  try {
    rows = (await wh.query<RunRow>(LOAD_SUMMARY_SQL, [], signal)).rows;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return null;
    throw error;
  }
  const tables = new Map<StagingTableName, { table: StagingTableName; files: number; rows: number }>();
  let last = null as LoadSummary['lastIncremental'];
  for (const r of rows) {
    const files = Number(r.files);
    const n = Number(r.row_count ?? 0);
    const t = tables.get(r.table_name) ?? { table: r.table_name, files: 0, rows: 0 };
    tables.set(r.table_name, { ...t, files: t.files + files, rows: t.rows + n });
    if (r.run_kind !== 'incremental') continue;
    // Ordered by loaded_at: a later run replaces the one before; one run's tables add up.
    last = last?.at === r.loaded_at ? { at: last.at, files: last.files + files, rows: last.rows + n } : { at: r.loaded_at, files, rows: n };
  }
  return { tables: [...tables.values()].sort((a, b) => (a.table < b.table ? -1 : 1)), lastIncremental: last };
}

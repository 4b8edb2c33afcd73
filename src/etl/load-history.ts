import { finished } from 'node:stream/promises';
import pgCopy from 'pg-copy-streams';
import { READ_LOAD_HISTORY_SQL, type RunKind } from '../sql/load-history.js';
import type { StagingTableName, Table } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import { escapeCopyText } from './copy-text.js';
import type { LoadedFile } from './incremental/delta.js';
import type { ListedFile } from './sources/source.js';
import type { RunIdentity } from './stage.js';

/** A timestamp as load_history keeps it: UTC, to the millisecond, without a zone (both dialects' TIMESTAMP). */
export function utcTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** A TIMESTAMP column's text (as the warehouse session returns it) read as UTC. */
export function parseUtcTimestamp(text: string | null): Date | null {
  return text === null ? null : new Date(`${text.replace(' ', 'T')}Z`);
}

interface HistoryRow {
  file_id: number;
  table_name: StagingTableName;
  location: string;
  size_bytes: number | null;
  modified_at: string | null;
  etag: string | null;
  run_kind: RunKind;
}

/** Every file load_history records. */
export async function readLoadHistory(wh: Warehouse, signal?: AbortSignal): Promise<LoadedFile[]> {
  const { rows } = await wh.query<HistoryRow>(READ_LOAD_HISTORY_SQL, [], signal);
  return rows.map((r) => ({
    fileId: Number(r.file_id),
    table: r.table_name,
    location: r.location,
    sizeBytes: Number(r.size_bytes),
    modifiedAt: parseUtcTimestamp(r.modified_at),
    etag: r.etag,
    runKind: r.run_kind,
  }));
}

/** One file a load read: its id, the version listed, and what came of it. */
export interface FileLoadRecord {
  fileId: number;
  listed: ListedFile;
  rows: number;
  rejected: number;
}

/**
 * Streams a load_history row per file loaded (PostgreSQL). A file of which
 * nothing loaded (every object in it rejected) is not recorded: the next
 * incremental run tries it again.
 */
export async function recordLoads(
  wh: Warehouse,
  table: Table,
  files: readonly FileLoadRecord[],
  run: RunIdentity,
  copySql: string,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const loadedAt = utcTimestamp(run.startedAt);
  const lines: string[] = [];
  for (const { fileId, listed, rows, rejected } of files) {
    if (rows === 0) continue;
    const modified = listed.modifiedAt ? utcTimestamp(listed.modifiedAt) : '\\N';
    const etag = listed.etag === null ? '\\N' : escapeCopyText(listed.etag);
    lines.push(
      `${fileId}\t${table.name}\t${escapeCopyText(listed.name)}\t${listed.size}\t${modified}\t${etag}\t${rows}\t${rejected}\t${run.kind}\t${loadedAt}\n`,
    );
  }
  if (lines.length === 0) return;
  const copy = (await wh.readyClient()).query(pgCopy.from(copySql));
  copy.end(lines.join(''));
  await finished(copy);
}

import { finished } from 'node:stream/promises';
import pgCopy from 'pg-copy-streams';
import { copyLoadErrorsSql } from '../sql/load-errors.js';
import type { Table } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import { escapeCopyText } from './copy-text.js';
import type { Rejection } from './file-rows.js';

/** Writes the rows an extract left out into load_errors, in the run's transaction, with `copySql` (the run's plan names the table). */
export async function recordRejections(
  wh: Warehouse,
  table: Table,
  rejections: Rejection[],
  copySql = copyLoadErrorsSql(),
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const copy = (await wh.readyClient()).query(pgCopy.from(copySql));
  const text = rejections.map((r) => [table.name, r.file, String(r.line), r.reason, r.raw].map(escapeCopyText).join('\t')).join('\n');
  copy.end(`${text}\n`);
  await finished(copy);
}

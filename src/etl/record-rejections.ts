import { finished } from 'node:stream/promises';
import pgCopy from 'pg-copy-streams';
import { copyLoadErrorsSql } from '../sql/load-errors.js';
import type { Table } from '../sql/schema.js';
import type { TableBuild } from '../sql/table-build.js';
import type { Warehouse } from '../warehouse/connection.js';
import { escapeCopyText } from './copy-text.js';
import type { Rejection } from './file-rows.js';

/** Writes the rows an extract left out into load_errors, in the run's transaction. */
export async function recordRejections(wh: Warehouse, table: Table, rejections: Rejection[], build: TableBuild, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const copy = (await wh.readyClient()).query(pgCopy.from(copyLoadErrorsSql(build)));
  const text = rejections
    .map((r) => [table.name, r.file, String(r.line), r.reason, r.raw].map(escapeCopyText).join('\t'))
    .join('\n');
  copy.end(`${text}\n`);
  await finished(copy);
}

import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import pgCopy from 'pg-copy-streams';
import type { Table } from '../sql/schema.js';
import { copyFromStdinSql } from '../sql/staging-load.js';
import type { Warehouse } from '../warehouse/connection.js';
import { CancelledError } from '../warehouse/errors.js';
import { CopyBuffer } from './copy-buffer.js';
import { FastRowEncoder } from './fast-row-encoder.js';
import { FileRows, type Rejection } from './file-rows.js';
import type { IdleTime } from './idle-time.js';
import { Rejections } from './rejections.js';
import type { RowsAhead } from './rows-ahead.js';
import type { RowMapping } from './row-encoders.js';
import type { FileSet, SourceFile } from './sources/source.js';

/** COPY data is sent in chunks of about this size: one write per row is several times slower. */
const CHUNK_BYTES = 512 * 1024;
const COPY_AHEAD = 4 * 1024 * 1024;
const YIELD_EVERY_MS = 20;
/**
 * pg-copy-streams acknowledges a write once the socket took it: for a chunk
 * above the socket's 16 KB high-water mark, only once the socket has drained,
 * i.e. sent it. A smaller chunk may still be queued, so it is not reused.
 */
const REUSE_FROM_BYTES = 64 * 1024;
/** A small file read whole above this size takes long enough to look at the clock after it. */
const TIMED_FILE_BYTES = 64 * 1024;

export interface CopyProgress {
  rows: number;
  bytes: number;
  filesDone: number;
  files: number;
}

export interface CopyOptions {
  /** The COPY statement of the run's plan (it names the table as the run does); by default, the live table's. */
  copySql?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: CopyProgress) => void) | undefined;
  /** Bad objects to leave out (and return) before the load fails; 0: the first one fails it. */
  maxErrors?: number | undefined;
  /** Lends the time this COPY waits for the server to work for a later stage. */
  lend?: IdleTime | undefined;
  /** Makes the rows before the COPY may start, in lent time, and keeps them there. */
  ahead?: RowsAhead | undefined;
  /** Gives each file its id, written into its rows (the staging table's file_id), and is told what came of it. Without it, rows have no file id. */
  files?: FileTracker | undefined;
}

/** Numbers the files of a load and hears what each gave (see LoadRecord). */
export interface FileTracker {
  /** The file's id; undefined leaves the file out (for the next run). */
  idOf(file: SourceFile): number | undefined;
  /** The file is read: its bytes, its rows, and the objects it left out. */
  loaded(file: SourceFile, id: number, bytes: number, rows: number, rejected: number): void;
}

export interface CopyResult extends CopyProgress {
  rejections: Rejection[];
}

/**
 * Streams the objects of every file as rows into one `COPY table FROM STDIN`.
 * Memory stays flat: files are read in 1 MB chunks, COPY text is flushed
 * every half megabyte, and the socket's backpressure is waited for. Any bad
 * object aborts the COPY (CopyFail), so nothing is loaded; with `maxErrors`,
 * up to that many are left out and returned instead. With `lend`, the time
 * it waits for the server goes to a later stage's rows; with `ahead`, its
 * own rows are made in such time, before it starts.
 */
export async function copyIntoStaging(wh: Warehouse, table: Table, input: FileSet, mapping: RowMapping, options: CopyOptions = {}): Promise<CopyResult> {
  const { files, signal, onProgress, maxErrors = 0, lend, ahead: rowsAhead } = options;
  const copySql = options.copySql ?? copyFromStdinSql(table, undefined, { fileIds: files !== undefined });
  const progress: CopyProgress = { rows: 0, bytes: 0, filesDone: 0, files: input.count };
  const rejections = new Rejections(maxErrors);
  const reject = maxErrors > 0 ? (rejection: Rejection) => rejections.add(rejection) : undefined;
  const waitFor = <T>(wait: Promise<T>) => (lend ? lend.during(wait) : wait);
  // Set when the COPY is being ended: by us (a bad row, a cancel) or by the server.
  let ending = false;
  // A property, not a variable: it is set in a stream's callback, which the type checker's narrowing cannot see.
  const server: { error: Error | null } = { error: null };
  let copy: ReturnType<typeof openCopy> | null = null;
  function openCopy(client: pg.Client) {
    // Up to COPY_AHEAD bytes may wait in the stream, so Node parses the next chunks
    // while the server reads the previous ones; with the default 16 KB every chunk
    // waited for the socket to drain, and parsing and copying took turns.
    const stream = client.query(pgCopy.from(copySql, { highWaterMark: COPY_AHEAD }));
    stream.on('error', (error) => {
      // Our own errors reach us through `finished(copy)` and `once(copy, 'drain')`,
      // and the server's answer to our CopyFail must not crash us.
      if (ending) return;
      // The server ended the COPY (a timeout, a cancel, a value it refused).
      // pg-copy-streams would still write the queued chunks to the finished query
      // and throw on its next 'drain', so the queue is dropped at once.
      ending = true;
      server.error = error;
      stream.destroy();
    });
    return stream;
  }
  if (!rowsAhead) copy = openCopy(await wh.readyClient());
  const startCopy = async () => {
    const made = await rowsAhead!.start();
    const stream = (copy = openCopy(await wh.readyClient()));
    onProgress?.({ ...progress });
    for (const chunk of made) if (!stream.write(chunk)) await once(stream, 'drain', { signal });
  };
  const out = new CopyBuffer();
  const encoder = mapping.fast ? new FastRowEncoder(mapping.fast, out) : undefined;
  let lastYield = performance.now();

  const flush = async () => {
    if (server.error) throw server.error;
    if (out.len === 0) return;
    const chunk = out.take();
    if (!copy) {
      const enough = rowsAhead!.keep(chunk);
      out.recycle(chunk);
      if (enough) await startCopy();
      return;
    }
    const reuse = chunk.length >= REUSE_FROM_BYTES;
    const ok = copy.write(chunk, (error) => {
      if (reuse && !error) out.recycle(chunk);
    });
    if (!ok) await waitFor(once(copy, 'drain', { signal }));
  };
  // Ahead of the COPY, work only in lent time; from its start, as usual.
  const takeTurn = async () => {
    if (copy) return;
    if (rowsAhead!.started) return startCopy();
    await rowsAhead!.turn();
  };
  // Files are read synchronously: without a turn of the event loop now and
  // then, timers and input (the app's spinner and keys, a Ctrl-C) would wait.
  const yieldNow = async () => {
    if (performance.now() - lastYield < YIELD_EVERY_MS) return;
    if (copy) onProgress?.({ ...progress });
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    lastYield = performance.now();
  };
  const endCopy = (error: Error) => {
    ending = true;
    if (copy && !copy.destroyed) copy.destroy(error);
  };
  const onAbort = () => endCopy(new CancelledError());
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    for await (const { file, content, chunks } of input.contents) {
      if (!copy) await takeTurn();
      const fileId = files?.idOf(file);
      if (files && fileId === undefined) continue;
      const rows = new FileRows(file.name, mapping, out, encoder, reject, fileId);
      let counted = 0;
      const bytesBefore = progress.bytes;
      if (content) {
        // A small file, read whole: no await per chunk (given to end as the file's last chunk).
        progress.bytes += content.length;
      } else {
        // Leaving this loop early (an error) closes the file or stream.
        for await (const chunk of chunks) {
          progress.bytes += chunk.length;
          rows.push(chunk);
          if (out.len >= CHUNK_BYTES) {
            progress.rows += rows.rows - counted;
            counted = rows.rows;
            await flush();
          }
          await yieldNow();
        }
      }
      rows.end(content);
      if (out.len >= CHUNK_BYTES) await flush();
      progress.rows += rows.rows - counted;
      progress.filesDone++;
      if (files) files.loaded(file, fileId!, progress.bytes - bytesBefore, rows.rows, rows.rejected);
      // After a file that took a while, or every 16th small one: reading the
      // clock after each of 100k song files cost 20 ms.
      if (!content || content.length > TIMED_FILE_BYTES || (progress.filesDone & 15) === 0) await yieldNow();
    }
    if (!copy) await startCopy();
    await flush();
    if (server.error) throw server.error;
    onProgress?.({ ...progress });
    copy!.end();
    await waitFor(finished(copy!));
    return { ...progress, rejections: rejections.rows };
  } catch (error) {
    if (server.error) throw server.error;
    // CopyFail; the server's answer ends the stream, and the connection is ready again.
    endCopy(error as Error);
    if (copy) await finished(copy).catch(() => {});
    if (signal?.aborted) throw new CancelledError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InputError } from '../input-error.js';
import { readUpTo } from './json-files.js';
import { TOO_LARGE, type Batch, type Done, type ListingThreadData, type ReaderReply, type ReaderRequest, type ReaderThreadData } from './reader-messages.js';
import { SMALL_FILE, type FileContent, type SourceFile } from './source.js';

/**
 * Fewer files are read on this thread: the reader thread takes tens of
 * milliseconds and 10 MB to start. Measured: 10,000 song files 0.17 s on this
 * thread alone, 0.19 s with the reader; 100,000 files 1.05 s alone, 0.86 s
 * with the reader; the default sample's 3,000 files 0.02 s and 9 MB less
 * without it. (In a reload, the song files are read on this thread instead,
 * in the time the events' COPY lends: see IdleTime.)
 */
export const READER_THREAD_FROM = 20_000;
const BATCH = 256;
/** Bytes the reader thread may read ahead of what this thread has taken. */
export const READ_AHEAD_BYTES = 16 << 20;

export function cannotRead(file: string, code: string): InputError {
  return new InputError(file, null, code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code})`);
}

let scratch: Buffer | null = null;

/** One file read whole on this thread, or null if it is larger than `limit`; with `stamp`, its modification time too. */
export function readIfSmall(file: string, limit: number, stamp?: { modifiedMs: number }): Buffer | null {
  if (!scratch || scratch.length < limit) scratch = Buffer.allocUnsafe(limit);
  let n: number;
  try {
    n = readUpTo(file, scratch, limit, stamp);
  } catch (error) {
    throw cannotRead(file, (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
  return n >= limit ? null : Buffer.from(scratch.subarray(0, n));
}

const CHUNK = 1 << 20;
let chunkBuffer: Buffer | null = null;

/**
 * A large file in 1 MB pieces, read into one buffer used again for each:
 * a new megabyte per piece (as a read stream allocates) is memory that
 * glibc keeps, 25 MB more at 1M events.
 */
export async function* readChunks(file: string): AsyncGenerator<Buffer> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw cannotRead(file, (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
  try {
    chunkBuffer ??= Buffer.allocUnsafe(CHUNK);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunkBuffer, 0, CHUNK, null);
      } catch (error) {
        throw cannotRead(file, (error as NodeJS.ErrnoException).code ?? 'EIO');
      }
      if (n === 0) return;
      yield chunkBuffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** A local file. Methods on the prototype, not closures per file: there may be 100k of them. */
export class LocalFile implements SourceFile {
  readonly etag = null;

  /** `modifiedMs`: its modification time when it was opened to be read, if it was. */
  constructor(
    readonly name: string,
    readonly modifiedMs: number | null = null,
  ) {}

  chunks() {
    return readChunks(this.name);
  }

  async readSmall(limit: number) {
    return readIfSmall(this.name, limit);
  }
}

/** A folder being read by the reader thread. */
export interface FolderReader {
  /** How many files it has: the thread counts them before it reads them. */
  count: Promise<number>;
  /** The files, in walkJsonFiles' order, each whole or (if large) to be read in chunks; once. */
  files(): AsyncGenerator<FileContent>;
  /** Stops the thread; files() ends it too. */
  close: () => void;
}

const THREAD_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 };
/**
 * A listing makes a few short-lived objects per file: with 2 MB of young
 * generation, a third of its time went to collecting them. It holds its
 * files' names until they are asked for: about 60 MB a million files.
 */
const LISTING_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 512 };

/**
 * Starts the reader thread from its module: dist/reader-thread.js beside the
 * bundle's chunks; or, run from the sources (tsx, vitest), reader-thread.ts,
 * through tsx's loader.
 */
export function startReaderThread(data: ReaderThreadData | ListingThreadData): Worker {
  const options = { workerData: data, resourceLimits: 'list' in data ? LISTING_LIMITS : THREAD_LIMITS };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./reader-thread.js', import.meta.url), options);
  // Node 20 does not apply loaders given as a worker's execArgv to its entry module: the thread registers tsx's first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const thread = new URL('./reader-thread.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(thread)}); });`, {
    ...options,
    eval: true,
  });
}

/**
 * Starts reading the *.json files under a folder in a reader thread: opening
 * a small file costs more than parsing it, so with many files (100k song
 * files) the thread walks, opens and reads them in batches while this thread
 * turns the previous ones into rows, or loads another stage. (A second reader
 * thread was no faster on 2 cores, and took 15 MB more.) `start` starts the
 * thread (a test may end it early).
 */
export function readFolder(root: string, aheadBytes = READ_AHEAD_BYTES, start: (data: ReaderThreadData) => Worker = startReaderThread): FolderReader {
  const worker = start({ root, limit: SMALL_FILE, batchSize: BATCH, aheadBytes });
  const arrived: (Batch | Done)[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let finished = false;
  let closed = false;
  let counted: (count: number) => void;
  let notCounted: (error: Error) => void;
  const count = new Promise<number>((resolve, reject) => {
    counted = resolve;
    notCounted = reject;
  });
  // Whoever awaits it sees a failure; files() reports it too.
  count.catch(() => {});
  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    notCounted(error);
    wake?.();
  };
  worker.on('message', (reply: ReaderReply) => {
    if ('count' in reply) counted(reply.count);
    else if ('failed' in reply) fail(cannotRead(reply.failed, reply.code));
    else {
      if ('done' in reply) finished = true;
      arrived.push(reply);
    }
    wake?.();
  });
  worker.on('error', fail);
  // Ended without an error before it sent every file (killed, or exited): without this, files() would wait for ever.
  worker.on('exit', (code) => {
    if (!finished && !closed) fail(new Error(`${root}: the reader thread ended (exit code ${code}) before it had read every file`));
  });
  const close = () => {
    closed = true;
    void worker.terminate();
  };

  async function* files(): AsyncGenerator<FileContent> {
    try {
      for (;;) {
        while (arrived.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
        if (failure) throw failure;
        const reply = arrived.shift()!;
        if ('done' in reply) return;
        worker.postMessage({ taken: reply.data.byteLength } satisfies ReaderRequest);
        const names = reply.names.split('\n');
        const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
        let at = 0;
        for (let i = 0; i < names.length; i++) {
          const file = new LocalFile(names[i]!, reply.modified[i]);
          const size = reply.sizes[i]!;
          if (size === TOO_LARGE) {
            yield { file, chunks: file.chunks() };
            continue;
          }
          yield { file, content: data.subarray(at, at + size) };
          at += size;
        }
      }
    } finally {
      close();
    }
  }
  return { count, files, close };
}

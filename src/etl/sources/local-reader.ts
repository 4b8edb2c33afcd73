import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InputError } from '../input-error.js';
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

type Batch = { names: string; data: Uint8Array; sizes: Int32Array };
type Reply = { count: number } | Batch | { failed: string; code: string } | { done: true };

/** The file system calls walkJsonFiles makes: node:fs, here and in the reader thread. */
interface WalkFs {
  readdirSync(dir: string, options: { withFileTypes: true }): { name: string; isDirectory(): boolean; isFile(): boolean }[];
}

/**
 * Every *.json file under a folder, recursively, in name order folder by
 * folder (hidden files and folders left out). Self-contained, so that the
 * reader thread runs the same walk from its source text.
 */
export function* walkJsonFiles(fs: WalkFs, sep: string, dir: string): Generator<string> {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    // Not path.join: its result, built character by character, takes 7 times the memory.
    const p = dir + sep + entry.name;
    if (entry.isDirectory()) yield* walkJsonFiles(fs, sep, p);
    else if (entry.isFile() && entry.name.endsWith('.json')) yield p;
  }
}

/**
 * Runs in the reader thread (as source text, so it needs no file of its own
 * in the bundle or the tests). It walks the folder once to count the files,
 * then again to read them, so that no list of 100k paths is held anywhere;
 * it reads in batches, each file whole, sending each batch's names and bytes
 * (in one transferred buffer, with each file's length, or -1 for a file too
 * large to read whole), and stays at most `aheadBytes` ahead of what the
 * other thread has taken.
 */
function readerThread(walk: typeof walkJsonFiles, limit: number, batchSize: number, aheadBytes: number): void {
  // Not require() or import: the bundler would rewrite those, and this function runs as source text.
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  const fs = process.getBuiltinModule('node:fs');
  const port = parentPort!;
  const scratch = Buffer.allocUnsafe(limit);
  let files: Generator<string> | null = null;
  let ahead = 0;
  let dir = '';

  const failed = (error: unknown, name: string) => {
    const { code, path } = error as NodeJS.ErrnoException;
    port.postMessage({ failed: path ?? name, code: code ?? 'EIO' });
  };
  /** The bytes of the batch sent, or -1 when there is no more to send. */
  const readBatch = (): number => {
    const names: string[] = [];
    const sizes = new Int32Array(batchSize);
    let data = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    while (names.length < batchSize) {
      let name: string;
      try {
        const next = files!.next();
        if (next.done) break;
        name = next.value;
      } catch (error) {
        failed(error, dir);
        return -1;
      }
      let n = 0;
      try {
        const fd = fs.openSync(name, 'r');
        try {
          for (let k = 1; k > 0 && n < limit; n += k) k = fs.readSync(fd, scratch, n, limit - n, null);
        } finally {
          fs.closeSync(fd);
        }
      } catch (error) {
        failed(error, name);
        return -1;
      }
      const i = names.push(name) - 1;
      if (n >= limit) {
        sizes[i] = -1;
        continue;
      }
      if (used + n > data.length) {
        const bigger = Buffer.allocUnsafe(Math.max(data.length * 2, used + n));
        data.copy(bigger, 0, 0, used);
        data = bigger;
      }
      scratch.copy(data, used, 0, n);
      used += n;
      sizes[i] = n;
    }
    if (names.length === 0) {
      port.postMessage({ done: true });
      return -1;
    }
    // A standalone copy, so that its memory can be handed over rather than cloned.
    const out = new Uint8Array(used);
    out.set(data.subarray(0, used));
    const lengths = sizes.slice(0, names.length);
    // One string, not an array: copying it to the other thread is one memcpy.
    port.postMessage({ names: names.join('\n'), data: out, sizes: lengths }, [out.buffer, lengths.buffer]);
    return used;
  };
  const pump = () => {
    while (files && ahead < aheadBytes) {
      const sent = readBatch();
      if (sent < 0) files = null;
      else ahead += sent;
    }
  };
  port.on('message', (message: { root?: string; sep?: string; taken?: number }) => {
    if (message.root !== undefined) {
      dir = message.root;
      let count = 0;
      try {
        for (const _ of walk(fs, message.sep!, dir)) count++;
      } catch (error) {
        failed(error, dir);
        return;
      }
      port.postMessage({ count });
      files = walk(fs, message.sep!, dir);
    } else ahead -= message.taken!;
    pump();
  });
}

export function cannotRead(file: string, code: string): InputError {
  return new InputError(file, null, code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code})`);
}

let scratch: Buffer | null = null;

/** One file read whole on this thread, or null if it is larger than `limit`. */
export function readIfSmall(file: string, limit: number): Buffer | null {
  if (!scratch || scratch.length < limit) scratch = Buffer.allocUnsafe(limit);
  let n = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      for (let k = 1; k > 0 && n < limit; n += k) k = readSync(fd, scratch, n, limit - n, null);
    } finally {
      closeSync(fd);
    }
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
  constructor(readonly name: string) {}

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
  close(): void;
}

/**
 * Starts reading the *.json files under a folder in a reader thread: opening
 * a small file costs more than parsing it, so with many files (100k song
 * files) the thread walks, opens and reads them in batches while this thread
 * turns the previous ones into rows, or loads another stage. (A second reader
 * thread was no faster on 2 cores, and took 15 MB more.)
 */
export function readFolder(root: string, sep: string, aheadBytes = READ_AHEAD_BYTES): FolderReader {
  // Transpilers that keep function names (tsx does) wrap inner functions in __name().
  const source = `const __name = (f) => f; (${readerThread.toString()})(${walkJsonFiles.toString()}, ${SMALL_FILE}, ${BATCH}, ${aheadBytes})`;
  const worker = new Worker(source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } });
  const arrived: (Batch | { done: true })[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  let counted: (count: number) => void;
  let notCounted: (error: unknown) => void;
  const count = new Promise<number>((resolve, reject) => {
    counted = resolve;
    notCounted = reject;
  });
  // Whoever awaits it sees a failure; files() reports it too.
  count.catch(() => {});
  const fail = (error: unknown) => {
    failure = error;
    notCounted(error);
    wake?.();
  };
  worker.on('message', (reply: Reply) => {
    if ('count' in reply) counted(reply.count);
    else if ('failed' in reply) fail(cannotRead(reply.failed, reply.code));
    else arrived.push(reply);
    wake?.();
  });
  worker.on('error', fail);
  worker.postMessage({ root, sep });
  const close = () => void worker.terminate();

  async function* files(): AsyncGenerator<FileContent> {
    try {
      for (;;) {
        while (arrived.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
        if (failure) throw failure;
        const reply = arrived.shift()!;
        if ('done' in reply) return;
        worker.postMessage({ taken: reply.data.byteLength });
        const names = reply.names.split('\n');
        const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
        let at = 0;
        for (let i = 0; i < names.length; i++) {
          const file = new LocalFile(names[i]!);
          const size = reply.sizes[i]!;
          if (size < 0) {
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

import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InputError } from '../input-error.js';
import { SMALL_FILE } from './source.js';

/**
 * Fewer files are read on the main thread: the reader thread takes tens of
 * milliseconds to start and to feed. Measured: 10,000 song files 0.17 s on
 * the main thread alone, 0.19 s with the reader; 100,000 files 1.05 s and 0.86 s.
 */
const READER_THREAD_FROM = 20_000;
const BATCH = 256;
/** Batches the reader thread may be ahead of this one: enough that neither waits for the other. */
const AHEAD = 4;

type Reply = { batch: number; data: Uint8Array; sizes: Int32Array } | { batch: number; failed: number; code: string };

/**
 * Runs in the reader thread (as source text, so it needs no file of its own
 * in the bundle or the tests). Given the paths, it reads them in
 * batches, each file whole, and sends each batch's bytes in one transferred
 * buffer (with each file's length, or -1 for a file too large to read whole);
 * it stays at most `ahead` batches ahead of the acknowledgements.
 */
function readerThread(limit: number, batchSize: number, ahead: number): void {
  // Not require() or import: the bundler would rewrite those, and this function runs as source text.
  const { parentPort } = process.getBuiltinModule('node:worker_threads');
  const fs = process.getBuiltinModule('node:fs');
  const port = parentPort!;
  const scratch = Buffer.allocUnsafe(limit);
  let paths: string[] = [];
  let next = 0;
  let credits = ahead;

  const readBatch = (batch: number) => {
    const names = paths.slice(batch * batchSize, (batch + 1) * batchSize);
    const sizes = new Int32Array(names.length);
    let data = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    for (let i = 0; i < names.length; i++) {
      let n = 0;
      try {
        const fd = fs.openSync(names[i]!, 'r');
        try {
          for (let k = 1; k > 0 && n < limit; n += k) k = fs.readSync(fd, scratch, n, limit - n, null);
        } finally {
          fs.closeSync(fd);
        }
      } catch (error) {
        port.postMessage({ batch, failed: i, code: (error as NodeJS.ErrnoException).code ?? 'EIO' });
        return false;
      }
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
    // A standalone copy, so that its memory can be handed over rather than cloned.
    const out = new Uint8Array(used);
    out.set(data.subarray(0, used));
    port.postMessage({ batch, data: out, sizes }, [out.buffer, sizes.buffer]);
    return true;
  };
  const pump = () => {
    const batches = Math.ceil(paths.length / batchSize);
    while (credits > 0 && next < batches) {
      credits--;
      if (!readBatch(next++)) next = batches;
    }
  };
  port.on('message', (message: { paths?: string }) => {
    if (message.paths !== undefined) paths = message.paths.split('\n');
    else credits++;
    pump();
  });
}

function cannotRead(file: string, code: string): InputError {
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

/**
 * The contents of the files in order: a Buffer, or null for a file larger
 * than SMALL_FILE (the caller streams it). Opening a small file costs more
 * than parsing it, so with many files (100k song files) a reader thread opens
 * and reads them in batches while this thread turns the previous ones into
 * rows. (A second reader thread was no faster on 2 cores, and took 15 MB more.)
 */
export async function* readFiles(paths: readonly string[], readerThreadFrom = READER_THREAD_FROM): AsyncGenerator<Buffer | null> {
  if (paths.length < readerThreadFrom) {
    for (const p of paths) yield readIfSmall(p, SMALL_FILE);
    return;
  }
  // Transpilers that keep function names (tsx does) wrap inner functions in __name().
  const source = `const __name = (f) => f; (${readerThread.toString()})(${SMALL_FILE}, ${BATCH}, ${AHEAD})`;
  const worker = new Worker(source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 } });
  const arrived: Reply[] = [];
  let wake: (() => void) | null = null;
  let failure: unknown = null;
  worker.on('message', (reply: Reply) => {
    arrived.push(reply);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  // One string, not an array of 100k: copying it to the thread is one memcpy.
  worker.postMessage({ paths: paths.join('\n') });
  try {
    const batches = Math.ceil(paths.length / BATCH);
    for (let b = 0; b < batches; b++) {
      while (arrived.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      const reply = arrived.shift()!;
      worker.postMessage({});
      if ('failed' in reply) throw cannotRead(paths[b * BATCH + reply.failed]!, reply.code);
      const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
      let at = 0;
      for (const size of reply.sizes) {
        if (size < 0) {
          yield null;
          continue;
        }
        yield data.subarray(at, at + size);
        at += size;
      }
    }
  } finally {
    void worker.terminate();
  }
}

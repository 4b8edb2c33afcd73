import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readUpTo, visitJsonPaths, walkJsonFiles } from './json-files.js';
import { VersionDigest } from './version-digest.js';
import {
  TOO_LARGE,
  type Batch,
  type Done,
  type Failed,
  type ListedBatch,
  type ListingRequest,
  type ListingSummed,
  type ListingThreadData,
  type ReaderRequest,
  type ReaderThreadData,
} from './reader-messages.js';

/**
 * The reader thread (started by readFolder in local-reader.ts; its own entry
 * point of the build, dist/reader-thread.js). It walks the folder once to
 * count the files, then again to read them, so that no list of 100k paths is
 * held anywhere; it reads in batches, each file whole, sending each batch's
 * names and bytes in one transferred buffer, and stays at most `aheadBytes`
 * ahead of what the other thread has taken. Given `list`, it lists the
 * files instead (listFolder): their sizes and modification times, in
 * batches, while the other thread reads load_history.
 */

if (!parentPort) throw new Error('reader-thread.ts runs as a worker thread (see readFolder)');
const port = parentPort;

function failed(error: unknown, name: string): Failed {
  const { code, path } = error as NodeJS.ErrnoException;
  return { failed: path ?? name, code: code ?? 'EIO' };
}

/** Reads the files under `root`: counts them, then sends them in batches, at most `aheadBytes` ahead of what the other thread has taken. */
function read({ root, limit, batchSize, aheadBytes }: ReaderThreadData): void {
  const scratch = Buffer.allocUnsafe(limit);
  let files: Generator<string> | null = null;
  let ahead = 0;

  function count(): { count: number } | Failed {
    let n = 0;
    try {
      for (const _ of walkJsonFiles(root)) n++;
    } catch (error) {
      return failed(error, root);
    }
    return { count: n };
  }

  /** The next message for the other thread: the next batch, or the end (every file sent, or one that cannot be read). */
  function nextBatch(walk: Generator<string>): Batch | Failed | Done {
    const names: string[] = [];
    const sizes = new Int32Array(batchSize);
    const modified = new Float64Array(batchSize);
    const stamp = { modifiedMs: 0 };
    let data = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    while (names.length < batchSize) {
      let name: string;
      try {
        const next = walk.next();
        if (next.done) break;
        name = next.value;
      } catch (error) {
        return failed(error, root);
      }
      let n: number;
      try {
        n = readUpTo(name, scratch, limit, stamp);
      } catch (error) {
        return failed(error, name);
      }
      const i = names.push(name) - 1;
      modified[i] = stamp.modifiedMs;
      if (n >= limit) {
        sizes[i] = TOO_LARGE;
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
    if (names.length === 0) return { done: true };
    // A standalone copy, so that its memory can be handed over rather than cloned.
    const out = new Uint8Array(used);
    out.set(data.subarray(0, used));
    return { names: names.join('\n'), data: out, sizes: sizes.slice(0, names.length), modified: modified.slice(0, names.length) };
  }

  /** Sends batches while the other thread has taken enough of them. */
  function pump(): void {
    while (files && ahead < aheadBytes) {
      const reply = nextBatch(files);
      if ('names' in reply) {
        port.postMessage(reply, [reply.data.buffer, reply.sizes.buffer, reply.modified.buffer]);
        ahead += reply.data.byteLength;
      } else {
        port.postMessage(reply);
        files = null;
      }
    }
  }

  port.on('message', (request: ReaderRequest) => {
    ahead -= request.taken;
    pump();
  });
  const counted = count();
  port.postMessage(counted);
  if ('count' in counted) {
    files = walkJsonFiles(root);
    pump();
  }
}

/**
 * Every file's size and modification time (whole milliseconds), summed into
 * a digest, which is sent first; the files themselves only if asked, in
 * batches, then Done. Or Failed, naming the file that cannot be read.
 */
function list({ list: entries, batchSize }: ListingThreadData): void {
  // Kept in batches as they will be sent (a batch's names as one string): a million names held one by one outgrew the thread's heap.
  const batches: ListedBatch[] = [];
  let names: string[] = [];
  let sizes = new Float64Array(batchSize);
  let modified = new Float64Array(batchSize);
  const keep = () => {
    const n = names.length;
    if (n > 0) batches.push({ listed: names.join('\n'), sizes: sizes.slice(0, n), modified: modified.slice(0, n) });
    [names, sizes, modified] = [[], new Float64Array(batchSize), new Float64Array(batchSize)];
  };
  const digest = new VersionDigest();
  let name = entries[0]?.path ?? '';
  try {
    visitJsonPaths(entries, (file) => {
      name = file;
      const stats = statSync(file);
      const modifiedMs = Math.trunc(stats.mtimeMs);
      const i = names.push(file) - 1;
      sizes[i] = stats.size;
      modified[i] = modifiedMs;
      digest.addParts(file, stats.size, modifiedMs, null);
      if (names.length === batchSize) keep();
    });
  } catch (error) {
    port.postMessage(failed(error, name));
    return;
  }
  keep();
  port.postMessage({ digest: digest.toString(), count: digest.count } satisfies ListingSummed);
  port.once('message', (_: ListingRequest) => {
    for (const batch of batches) port.postMessage(batch, [batch.sizes.buffer, batch.modified.buffer]);
    port.postMessage({ done: true } satisfies Done);
  });
}

const given = workerData as ReaderThreadData | ListingThreadData;
if ('list' in given) list(given);
else read(given);

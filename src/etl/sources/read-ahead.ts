import type { SourceFile } from './source.js';

/** Files up to this size are read whole, several at a time; larger ones are streamed. */
const SMALL_FILE = 1 << 20;

export interface FileContent {
  file: SourceFile;
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

/**
 * The files in order, with the next `depth` small files already being read:
 * with thousands of tiny song files, waiting for each read in turn (or each
 * S3 request) costs more than parsing them.
 */
export async function* readAhead(files: readonly SourceFile[], depth: number): AsyncGenerator<FileContent> {
  const reads = new Map<number, Promise<Buffer>>();
  const startRead = (i: number) => {
    const file = files[i];
    if (!file || file.size === null || file.size > SMALL_FILE) return;
    const read = file.read();
    read.catch(() => {}); // awaited in turn below; this only keeps an early failure from being "unhandled"
    reads.set(i, read);
  };
  for (let i = 0; i < depth; i++) startRead(i);
  for (let i = 0; i < files.length; i++) {
    startRead(i + depth);
    const read = reads.get(i);
    reads.delete(i);
    yield { file: files[i]!, chunks: read ? [await read] : files[i]!.open() };
  }
}

import { SMALL_FILE, type FileContent, type SourceFile } from './source.js';

/**
 * The files in order, with the next `depth` small files already being read:
 * with thousands of tiny song files, waiting for each read in turn (or each
 * S3 request) costs more than parsing them.
 */
export async function* readAhead(files: readonly SourceFile[], depth: number): AsyncGenerator<FileContent> {
  const reads = new Map<number, Promise<Buffer | null>>();
  const startRead = (i: number) => {
    const file = files[i];
    if (!file) return;
    const read = file.readSmall(SMALL_FILE);
    read.catch(() => {}); // awaited in turn below; this only keeps an early failure from being "unhandled"
    reads.set(i, read);
  };
  for (let i = 0; i < depth; i++) startRead(i);
  for (let i = 0; i < files.length; i++) {
    startRead(i + depth);
    const content = await reads.get(i)!;
    reads.delete(i);
    yield content ? { file: files[i]!, content } : { file: files[i]!, chunks: files[i]!.chunks() };
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input-error.js';
import { walkJsonFiles } from './json-files.js';
import { listFolder } from './folder-listing.js';
import { cannotRead, LocalFile, READER_THREAD_FROM, readFolder, readIfSmall } from './local-reader.js';
import { catalogOf, SMALL_FILE, type DataSource, type FileContent, type FileSet } from './source.js';

/** A local file, or every *.json file under a folder (recursively, sorted by path). */
export function localSource(root: string): DataSource {
  return {
    async list() {
      const stat = await statOrFail(root);
      const paths = stat.isDirectory() ? jsonFilesUnder(root) : [root];
      if (paths.length === 0) throw new InputError(root, null, 'no .json files in this folder');
      return paths.map((p) => new LocalFile(p));
    },
    async catalog(known) {
      const stat = await statOrFail(root);
      // To the millisecond, as load_history keeps it. None is not an error here: an incremental run finds no new files.
      if (!stat.isDirectory()) return catalogOf([{ name: root, size: stat.size, modifiedMs: Math.trunc(stat.mtimeMs), etag: null }]);
      return listFolder(folderPath(root), known);
    },
    async loadListed(files) {
      return { count: files.length, contents: filesRead(files.map((f) => f.name)), close() {} };
    },
    async load(options) {
      const stat = await statOrFail(root);
      if (!stat.isDirectory()) return { count: 1, contents: filesRead([root]), close() {} };
      const dir = folderPath(root);
      // A few files are read on this thread from a list; past that, no list
      // of the paths is held: the folder is walked again as it is read, by the
      // reader thread or (onThisThread) by this one, once the walk begun here
      // has counted them.
      const walk = walkJsonFiles(dir);
      const paths: string[] = [];
      for (let next = walk.next(); !next.done; next = walk.next()) {
        if (paths.push(next.value) < READER_THREAD_FROM) continue;
        if (!options?.onThisThread) return readInThread(dir);
        let count = paths.length;
        while (!walk.next().done) count++;
        return { count, contents: filesRead(walkJsonFiles(dir)), close() {} };
      }
      if (paths.length === 0) throw new InputError(root, null, 'no .json files in this folder');
      return { count: paths.length, contents: filesRead(paths), close() {} };
    },
    async readText() {
      await statOrFail(root);
      return fs.readFile(root, 'utf8');
    },
  };
}

async function statOrFail(p: string) {
  try {
    return await fs.stat(p);
  } catch (error) {
    throw cannotRead(p, (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
}

/** Every *.json file under a folder, in walkJsonFiles' order. */
export function jsonFilesUnder(folder: string): string[] {
  return [...walkJsonFiles(folderPath(folder))];
}

function folderPath(folder: string): string {
  const normal = path.normalize(folder);
  return normal.length > 1 && normal.endsWith(path.sep) ? normal.slice(0, -1) : normal;
}

/** Files read on this thread, in the order given. */
async function* filesRead(paths: Iterable<string>): AsyncGenerator<FileContent> {
  const stamp = { modifiedMs: 0 };
  for (const p of paths) {
    const content = readIfSmall(p, SMALL_FILE, stamp);
    const file = new LocalFile(p, stamp.modifiedMs);
    yield content ? { file, content } : { file, chunks: file.chunks() };
  }
}

/** A large folder, walked and read by the reader thread, which starts now. */
async function readInThread(dir: string): Promise<FileSet> {
  const reader = readFolder(dir);
  try {
    return { count: await reader.count, contents: reader.files(), close: reader.close };
  } catch (error) {
    reader.close();
    throw error;
  }
}

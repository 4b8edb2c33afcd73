import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input-error.js';
import { LocalFile, READER_THREAD_FROM, readFolder, readIfSmall, walkJsonFiles } from './local-reader.js';
import { SMALL_FILE, type DataSource, type FileContent, type FileSet } from './source.js';

/** A local file, or every *.json file under a folder (recursively, sorted by path). */
export function localSource(root: string): DataSource {
  return {
    async list() {
      const stat = await statOrFail(root);
      const paths = stat.isDirectory() ? jsonFilesUnder(root) : [root];
      if (paths.length === 0) throw new InputError(root, null, 'no .json files in this folder');
      return paths.map((p) => new LocalFile(p));
    },
    async load(options) {
      const stat = await statOrFail(root);
      if (!stat.isDirectory()) return { count: 1, contents: filesRead([root]), close() {} };
      const dir = folderPath(root);
      if (options?.onThisThread) return walkedOnThisThread(root, dir);
      // A few files are read on this thread; past that the reader thread walks
      // the folder again itself, and no list of the paths is held.
      const paths: string[] = [];
      for (const p of walkJsonFiles(fsSync, path.sep, dir)) {
        if (paths.push(p) >= READER_THREAD_FROM) return readInThread(dir);
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
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(p, null, code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code})`);
  }
}

/** Every *.json file under a folder, in walkJsonFiles' order. */
export function jsonFilesUnder(folder: string): string[] {
  return [...walkJsonFiles(fsSync, path.sep, folderPath(folder))];
}

function folderPath(folder: string): string {
  const normal = path.normalize(folder);
  return normal.length > 1 && normal.endsWith(path.sep) ? normal.slice(0, -1) : normal;
}

/** Files read on this thread, in the order given. */
async function* filesRead(paths: Iterable<string>): AsyncGenerator<FileContent> {
  for (const p of paths) {
    const file = new LocalFile(p);
    const content = readIfSmall(p, SMALL_FILE);
    yield content ? { file, content } : { file, chunks: file.chunks() };
  }
}

/** Every file of a folder read on this thread, however many: counted first, then walked again. */
function walkedOnThisThread(root: string, dir: string): FileSet {
  let count = 0;
  for (const _ of walkJsonFiles(fsSync, path.sep, dir)) count++;
  if (count === 0) throw new InputError(root, null, 'no .json files in this folder');
  return { count, contents: filesRead(walkJsonFiles(fsSync, path.sep, dir)), close() {} };
}

/** A large folder, walked and read by the reader thread, which starts now. */
async function readInThread(dir: string): Promise<FileSet> {
  const reader = readFolder(dir, path.sep);
  try {
    return { count: await reader.count, contents: reader.files(), close: reader.close };
  } catch (error) {
    reader.close();
    throw error;
  }
}

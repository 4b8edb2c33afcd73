import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../input-error.js';
import { READER_THREAD_FROM, readChunks, readFiles, readFolder, readIfSmall, walkJsonFiles } from './local-reader.js';
import type { DataSource, FileContent, SourceFile } from './source.js';

/** A local file, or every *.json file under a folder (recursively, sorted by path). */
export function localSource(root: string): DataSource {
  return {
    async list() {
      const stat = await statOrFail(root);
      const paths = stat.isDirectory() ? jsonFilesUnder(root) : [root];
      if (paths.length === 0) throw new InputError(root, null, 'no .json files in this folder');
      return paths.map((p) => new LocalFile(p));
    },
    async load() {
      const stat = await statOrFail(root);
      if (!stat.isDirectory()) return { count: 1, contents: filesRead([root]) };
      const dir = folderPath(root);
      // Counted here; the paths are kept only while they are few. Past that the
      // reader thread walks the folder again itself, and no list of them is held.
      let count = 0;
      let paths: string[] | null = [];
      for (const p of walkJsonFiles(fsSync, path.sep, dir)) {
        count++;
        if (paths && count > READER_THREAD_FROM) paths = null;
        paths?.push(p);
      }
      if (count === 0) throw new InputError(root, null, 'no .json files in this folder');
      return { count, contents: paths ? filesRead(paths) : folderRead(dir) };
    },
    async readText() {
      await statOrFail(root);
      return fs.readFile(root, 'utf8');
    },
  };
}

/** Methods on the prototype, not closures per file: there may be 100k of them. */
class LocalFile implements SourceFile {
  constructor(readonly name: string) {}

  chunks() {
    return readChunks(this.name);
  }

  async readSmall(limit: number) {
    return readIfSmall(this.name, limit);
  }
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

/** Files read on this thread: few, or a single one. */
async function* filesRead(paths: string[]): AsyncGenerator<FileContent> {
  let i = 0;
  for (const content of readFiles(paths)) {
    const file = new LocalFile(paths[i++]!);
    yield content ? { file, content } : { file, chunks: file.chunks() };
  }
}

/** A large folder, walked and read by the reader thread. */
async function* folderRead(dir: string): AsyncGenerator<FileContent> {
  for await (const { name, content } of readFolder(dir, path.sep)) {
    const file = new LocalFile(name);
    yield content ? { file, content } : { file, chunks: file.chunks() };
  }
}

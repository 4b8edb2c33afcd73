import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';

/**
 * Every *.json file under a folder, recursively, in name order folder by
 * folder (hidden files and folders left out), one at a time: with 100k
 * song files, no list of their paths is held.
 */
export function* walkJsonFiles(dir: string): Generator<string> {
  for (const entry of walkedEntries(dir)) {
    if (entry.isDirectory) yield* walkJsonFiles(entry.path);
    else yield entry.path;
  }
}

/** A folder's entries the walk takes, in its order: its folders and *.json files, hidden ones left out. */
export function walkedEntries(dir: string): { path: string; isDirectory: boolean }[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const taken: { path: string; isDirectory: boolean }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    // Not path.join: its result, built character by character, takes 7 times the memory.
    const p = dir + path.sep + entry.name;
    if (entry.isDirectory()) taken.push({ path: p, isDirectory: true });
    else if (entry.isFile() && entry.name.endsWith('.json')) taken.push({ path: p, isDirectory: false });
  }
  return taken;
}

/** The walk of several entries in turn: a folder's files, or a file itself (as walkedEntries gives them). */
export function* walkJsonPaths(paths: readonly { path: string; isDirectory: boolean }[]): Generator<string> {
  for (const entry of paths) {
    if (entry.isDirectory) yield* walkJsonFiles(entry.path);
    else yield entry.path;
  }
}

/**
 * walkJsonPaths' files, each given to `visit`: without generators, whose
 * nesting (one per folder level) cost a listing of 100k files 0.1 s.
 */
export function visitJsonPaths(paths: readonly { path: string; isDirectory: boolean }[], visit: (file: string) => void): void {
  for (const entry of paths) {
    if (entry.isDirectory) visitJsonPaths(walkedEntries(entry.path), visit);
    else visit(entry.path);
  }
}

/**
 * Reads a file into `into` from its start, up to `limit` bytes, and says how
 * many it read: `limit` means the file may be larger. The end is a read that
 * returns 0, not a short read (which FUSE or NFS may give before the end).
 * With `stamp`, also gives the file's modification time. Throws the system's error.
 */
export function readUpTo(file: string, into: Buffer, limit: number, stamp?: { modifiedMs: number }): number {
  const fd = openSync(file, 'r');
  let n = 0;
  try {
    // The version read: the modification time of the file opened (load_history records it).
    if (stamp) stamp.modifiedMs = fstatSync(fd).mtimeMs;
    for (let k = 1; k > 0 && n < limit; n += k) k = readSync(fd, into, n, limit - n, null);
  } finally {
    closeSync(fd);
  }
  return n;
}

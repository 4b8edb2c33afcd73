import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { listFolder } from '../src/etl/sources/folder-listing.js';
import { startReaderThread } from '../src/etl/sources/local-reader.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import type { ListingThreadData } from '../src/etl/sources/reader-messages.js';
import type { ListedFile } from '../src/etl/sources/source.js';
import { VersionDigest } from '../src/etl/sources/version-digest.js';
import { tempDir } from './support/warehouse.js';

/** `count` small files in nested folders, the 7th of them 2 MB, and files the walk leaves out. */
function folderOf(count: number): { dir: string; paths: string[] } {
  const dir = tempDir();
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, String(i % 7), String(i % 3));
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `f${String(i).padStart(5, '0')}.json`), i === 6 ? 'x'.repeat(2 << 20) : JSON.stringify({ i }));
  }
  writeFileSync(path.join(dir, '.hidden.json'), '{}');
  writeFileSync(path.join(dir, 'notes.txt'), '');
  return { dir, paths: jsonFilesUnder(dir) };
}

const statted = (p: string): ListedFile => ({ name: p, size: statSync(p).size, modifiedMs: Math.trunc(statSync(p).mtimeMs), etag: null });

describe('listFolder', () => {
  it('lists here (a few files) or in two reader threads (many): every file in the walk order, with its size and modification time to the millisecond, and their digest', async () => {
    for (const count of [50, 20_000]) {
      const { dir, paths } = folderOf(count);
      const { files, digest } = await listFolder(dir);
      expect(files).toEqual(paths.map(statted));
      expect(files!.find((f) => f.name.endsWith('f00006.json'))!.size).toBe(2 << 20);
      expect(digest.count).toBe(count);
      expect(digest.equals(VersionDigest.of(paths.map(statted)))).toBe(true);
    }
    const missing = path.join(tempDir(), 'gone');
    await expect(listFolder(missing)).rejects.toThrow(`${missing}: no such file or folder`);
  });

  it('splits the walk where it first branches', async () => {
    const deep = tempDir();
    for (let i = 0; i < 3_000; i++) {
      const folder = path.join(deep, 'song_data', 'A', String.fromCharCode(65 + (i % 5)));
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, `s${i}.json`), '{}');
    }
    const threads: ListingThreadData[] = [];
    const { files } = await listFolder(deep, null, (data) => (threads.push(data), startReaderThread(data)));
    expect(files!.map((f) => f.name)).toEqual(jsonFilesUnder(deep));
    expect(threads.map((t) => t.list.map((e) => path.relative(deep, e.path)))).toEqual([
      ['song_data/A/A', 'song_data/A/B', 'song_data/A/C'],
      ['song_data/A/D', 'song_data/A/E'],
    ]);
  });

  it('hands over no files when their digest is the one it is told of; all of them when one file differs by a millisecond', async () => {
    const { dir, paths } = folderOf(5_000);
    // Times set in seconds as doubles: .5 is exact, and .50125 is past .501 whichever way it rounds (.001 may come back as .000999…).
    const touched = paths[4_321]!;
    utimesSync(touched, 1_700_000_000.5, 1_700_000_000.5);
    const known = VersionDigest.of(paths.map(statted));
    expect(await listFolder(dir, Promise.resolve(known))).toEqual({ digest: known, files: null });
    utimesSync(touched, 1_700_000_000.50125, 1_700_000_000.50125);
    expect(statted(touched).modifiedMs).toBe(1_700_000_000_501);
    const changed = await listFolder(dir, Promise.resolve(known));
    expect(changed.digest.equals(known)).toBe(false);
    expect(changed.files).toEqual(paths.map(statted));
    expect((await listFolder(dir, Promise.resolve(null))).files).toHaveLength(5_000);
  });

  it('a listing thread that cannot read a file, or ends before it has listed every file, fails the listing naming them', async () => {
    const { dir } = folderOf(3_000);
    const failing = (reply: object) => () => new Worker(`require('node:worker_threads').parentPort.postMessage(${JSON.stringify(reply)})`, { eval: true });
    await expect(listFolder(dir, null, failing({ failed: `${dir}/0/0/f00000.json`, code: 'EACCES' }))).rejects.toThrow(
      `${dir}/0/0/f00000.json: cannot be read (EACCES)`,
    );
    const ended = () => new Worker('', { eval: true });
    await expect(listFolder(dir, null, ended)).rejects.toThrow(`${dir}: the reader thread ended (exit code 0) before it had listed every file`);
    // Ended after the digest, before the files it was asked for.
    const endedAfterDigest = (data: ListingThreadData) => {
      const worker = startReaderThread(data);
      worker.once('message', () => void worker.terminate());
      return worker;
    };
    await expect(listFolder(dir, Promise.resolve(null), endedAfterDigest)).rejects.toThrow(
      `${dir}: the reader thread ended (exit code 1) before it had listed every file`,
    );
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFiles } from '../src/etl/sources/local-reader.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { tempDir } from './support/temp-dir.js';

/** `count` small files in nested folders, the 7th of them 2 MB. */
function files(count: number): string[] {
  const dir = tempDir();
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, String(i % 7), String(i % 3));
    mkdirSync(folder, { recursive: true });
    const body = i === 6 ? 'x'.repeat(2 << 20) : JSON.stringify({ i, text: 'é'.repeat(i % 50) });
    writeFileSync(path.join(folder, `f${String(i).padStart(5, '0')}.json`), body);
  }
  writeFileSync(path.join(dir, '.hidden.json'), '{}');
  writeFileSync(path.join(dir, 'notes.txt'), '');
  return jsonFilesUnder(dir);
}

/** From 1,000 files, through the reader thread (which the app uses from 20,000). */
async function readAll(paths: string[]): Promise<(Buffer | null)[]> {
  const out: (Buffer | null)[] = [];
  for await (const content of readFiles(paths, 1000)) out.push(content === null ? null : Buffer.from(content));
  return out;
}

describe('reading many small files', () => {
  it.each([50, 1500])('gives %i files whole and in order, and null for one over 1 MB', async (count) => {
    const paths = files(count);
    expect(paths).toHaveLength(count);
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : 1)));
    const contents = await readAll(paths);
    expect(contents).toHaveLength(count);
    const big = paths.findIndex((p) => p.endsWith('f00006.json'));
    contents.forEach((content, i) => {
      if (i === big) expect(content).toBeNull();
      else expect(content!.equals(readFileSync(paths[i]!))).toBe(true);
    });
  });

  it.each([50, 1500])('names a file that cannot be read, among %i', async (count) => {
    const paths = files(count);
    const gone = paths[count - 20]!;
    const folder = paths[count - 10]!.replace(/\.json$/, '-folder.json');
    mkdirSync(folder);
    await expect(readAll([...paths.slice(0, count - 20), gone.replace('.json', '-gone.json'), ...paths.slice(count - 20)])).rejects.toThrow(
      `${gone.replace('.json', '-gone.json')}: no such file or folder`,
    );
    await expect(readAll([...paths, folder])).rejects.toThrow(`${folder}: cannot be read (EISDIR)`);
  });
});

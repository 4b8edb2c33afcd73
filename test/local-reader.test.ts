import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { READER_THREAD_FROM } from '../src/etl/sources/local-reader.js';
import { runCli } from './support/run-cli.js';
import { spawnCli } from './support/spawn-cli.js';
import { loadConfig } from '../src/config/load-config.js';
import { Warehouse } from '../src/warehouse/connection.js';
import { rows, tempDir, writeTestConfig } from './support/warehouse.js';
import { readFolder, readIfSmall, startReaderThread } from '../src/etl/sources/local-reader.js';
import type { ReaderThreadData } from '../src/etl/sources/reader-messages.js';
import { SMALL_FILE } from '../src/etl/sources/source.js';
import { jsonFilesUnder, localSource } from '../src/etl/sources/local-source.js';

/** `count` small files in nested folders, the 7th of them 2 MB, and files the walk leaves out. */
function folderOf(count: number): { dir: string; paths: string[] } {
  const dir = tempDir();
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, String(i % 7), String(i % 3));
    mkdirSync(folder, { recursive: true });
    const body = i === 6 ? 'x'.repeat(2 << 20) : JSON.stringify({ i, text: 'é'.repeat(i % 50) });
    writeFileSync(path.join(folder, `f${String(i).padStart(5, '0')}.json`), body);
  }
  writeFileSync(path.join(dir, '.hidden.json'), '{}');
  writeFileSync(path.join(dir, 'notes.txt'), '');
  return { dir, paths: jsonFilesUnder(dir) };
}

function copyOfFolder(dir: string): string {
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function expectContents(paths: string[], contents: (Buffer | null)[]) {
  expect(contents).toHaveLength(paths.length);
  const big = paths.findIndex((p) => p.endsWith('f00006.json'));
  contents.forEach((content, i) => {
    if (i === big) expect(content).toBeNull();
    else expect(content!.equals(readFileSync(paths[i]!))).toBe(true);
  });
}

describe('reading many small files', () => {
  it('walks folder by folder in name order, leaving out hidden and non-.json files', () => {
    const { dir, paths } = folderOf(30);
    expect(paths).toHaveLength(30);
    expect(paths[0]).toBe(path.join(dir, '0/0/f00000.json'));
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('on this thread: every file whole and in order, null for one over 1 MB, and names one that cannot be read', () => {
    const { paths } = folderOf(50);
    const readAll = (list: string[]) => list.map((p) => readIfSmall(p, SMALL_FILE));
    expectContents(paths, readAll(paths));
    const gone = paths[10]!.replace('.json', '-gone.json');
    expect(() => readAll([paths[0]!, gone])).toThrow(`${gone}: no such file or folder`);
    const folder = path.join(path.dirname(paths[0]!), 'a-folder.json');
    mkdirSync(folder);
    expect(() => readAll([folder])).toThrow(`${folder}: cannot be read (EISDIR)`);
  });

  it('in the reader thread: counts the files, then gives the same files in the same order, with their names', async () => {
    const { dir, paths } = folderOf(1500);
    // 4 KB ahead at most: the thread waits for this one many times over.
    const reader = readFolder(dir, 4096);
    expect(await reader.count).toBe(1500);
    const names: string[] = [];
    const contents: (Buffer | null)[] = [];
    for await (const { file, content } of reader.files()) {
      names.push(file.name);
      contents.push(content ? Buffer.from(content) : null);
    }
    expect(names).toEqual(paths);
    expectContents(paths, contents);
  });

  it('on this thread only as asked for (for rows made in lent time): counted, then the same files in order', async () => {
    const { dir, paths } = folderOf(40);
    const input = await localSource(dir).load({ onThisThread: true });
    expect(input.count).toBe(40);
    const names: string[] = [];
    const contents: (Buffer | null)[] = [];
    for await (const { file, content } of input.contents) {
      names.push(file.name);
      contents.push(content ? Buffer.from(content) : null);
    }
    expect(names).toEqual(paths);
    expectContents(paths, contents);
    await expect(localSource(tempDir()).load({ onThisThread: true })).rejects.toThrow('no .json files in this folder');
  });

  it('in the reader thread: names a folder that cannot be read', async () => {
    const missing = path.join(tempDir(), 'gone');
    const reader = readFolder(missing);
    await expect(reader.count).rejects.toThrow(`${missing}: no such file or folder`);
    const read = async () => {
      for await (const _ of reader.files());
    };
    await expect(read()).rejects.toThrow(`${missing}: no such file or folder`);
  });
  it('in the reader thread: one that ends before it has sent every file fails the reading, naming the folder', async () => {
    const { dir } = folderOf(600);
    /** The real thread, ended (as if killed: no error) before its first message, or once it has counted. */
    const endedAfter = (messages: number) => (data: ReaderThreadData) => {
      const worker = startReaderThread(data);
      if (messages === 0) void worker.terminate();
      else worker.once('message', () => void worker.terminate());
      return worker;
    };
    // terminate() ends a thread with exit code 1, or 0 if it had not started yet.
    const message = new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the reader thread ended \\(exit code [01]\\) before it had read every file$`);
    const read = async (reader: ReturnType<typeof readFolder>) => {
      for await (const _ of reader.files());
    };
    const uncounted = readFolder(dir, 4096, endedAfter(0));
    await expect(uncounted.count).rejects.toThrow(message);
    await expect(read(uncounted)).rejects.toThrow(message);
    const counted = readFolder(dir, 4096, endedAfter(1));
    expect(await counted.count).toBe(600);
    await expect(read(counted)).rejects.toThrow(message);
  }, 20_000);
});

describe("a folder past the reader thread's threshold", () => {
  const songs = READER_THREAD_FROM + 1;
  let data: string;
  let file: string;
  let songFiles: { song_id: string; duration: number }[];

  beforeAll(async () => {
    data = tempDir();
    // The project's generator, as a user runs it (the built CLI).
    const generate = spawnCli(['generate', '--out', data, '--events', '2000', '--songs', String(songs), '--users', '20', '--seed', '3']);
    expect(await generate.exited).toBe(0);
    ({ file } = await writeTestConfig(data));
    songFiles = jsonFilesUnder(path.join(data, 'song_data')).map((p) => JSON.parse(readFileSync(p, 'utf8')) as { song_id: string; duration: number });
  }, 60_000);

  async function expectEverySongOnce(configPath = file) {
    const wh = await Warehouse.open(loadConfig({ configPath }));
    try {
      const [loaded] = await rows<{ n: number; ids: string; duration: number }>(
        wh,
        "SELECT count(*)::int AS n, string_agg(song_id, ',' ORDER BY song_id) AS ids, sum(duration) AS duration FROM staging_songs",
      );
      expect(loaded!.n).toBe(songs);
      expect(loaded!.ids).toBe(
        songFiles
          .map((f) => f.song_id)
          .sort()
          .join(','),
      );
      expect(loaded!.duration).toBeCloseTo(
        songFiles.reduce((sum, f) => sum + f.duration, 0),
        6,
      );
    } finally {
      await wh.close();
    }
  }

  it('loads every song file once, through the thread, from the built CLI (dist/reader-thread.js)', async () => {
    expect(await spawnCli(['reset', '--yes', '--config', file]).exited).toBe(0);
    const etl = spawnCli(['etl', '--stage', 'staging_songs', '--config', file]);
    expect(await etl.exited, etl.output.stderr).toBe(0);
    expect(etl.output.stderr).toMatch(
      new RegExp(
        `^1 of 1 OK staging_songs \\.+ ${songs.toLocaleString('en-US')} rows, 5\\.2 MB in \\d+\\.\\d\\ds\\nSwap: 1 new table replaced the live one in \\d+\\.\\d\\ds\\nCompleted 1 of 1 stages in \\d+\\.\\d\\ds: PASS\\n$`,
      ),
    );
    await expectEverySongOnce();
  }, 60_000);

  /**
   * The data with 200,000 more events, which take a second or so to load: the
   * song files start being read while they do (after 0.2 s); `last` ends them.
   */
  function withLongEvents(last = ''): string {
    const long = copyOfFolder(data);
    const day = readFileSync(path.join(long, 'log_data/2018/11/2018-11-01-events.json'), 'utf8');
    mkdirSync(path.join(long, 'log_data/2018/12'));
    writeFileSync(path.join(long, 'log_data/2018/12/late.json'), Array.from({ length: 3000 }, () => day).join('\n') + last);
    return long;
  }

  it('in a reload, where they are read while the events load, every song file once too', async () => {
    const { file: longConfig } = await writeTestConfig(withLongEvents());
    const { code, stderr } = await runCli(['reload', '--config', longConfig]);
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`2 of 8 OK staging_songs \\.+ ${songs.toLocaleString('en-US')} rows, `));
    await expectEverySongOnce(longConfig);
  }, 60_000);

  it('a bad song file met while the events load fails the songs stage, naming the file and line', async () => {
    const long = withLongEvents();
    const songFile = jsonFilesUnder(path.join(long, 'song_data'))[100]!;
    writeFileSync(songFile, '{"num_songs": 1,\n "artist_id": oops}');
    const { file: badConfig } = await writeTestConfig(long);
    const { code, stderr } = await runCli(['reload', '--config', badConfig]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/1 of 8 OK staging_events/);
    expect(stderr).toContain(`${songFile}:1: line 2, column 15: expected a value but found 'o'\n`);
    expect(stderr).toMatch(/2 of 8 FAIL staging_songs/);
  }, 60_000);

  it('a reload whose events fail stops reading the songs, and its process ends', async () => {
    const { file: badConfig } = await writeTestConfig(withLongEvents('\n{"ts": oops}'));
    const cli = spawnCli(['reload', '--config', badConfig]);
    expect(await cli.exited).toBe(1);
    expect(cli.output.stderr).toMatch(/late\.json:(\d+): line \1, column 8: expected a value but found 'o'\n/);
    expect(cli.output.stderr).toMatch(/2 of 8 SKIP staging_songs/);
  }, 60_000);
});

import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { jsonFilesUnder } from '../../src/etl/sources/local-source.js';
import { tempDir } from './temp-dir.js';

/**
 * A data folder that grows batch by batch, from the files of another one
 * (the real sample, or a generated set): the way new days of logs and new
 * song folders arrive.
 */
export class GrowingData {
  readonly dir = tempDir();

  constructor(readonly from: string) {
    copyFileSync(path.join(from, 'log_json_path.json'), path.join(this.dir, 'log_json_path.json'));
    // Both folders exist from the start: an incremental run lists them even while one is empty.
    mkdirSync(path.join(this.dir, 'log_data'), { recursive: true });
    mkdirSync(path.join(this.dir, 'song_data'), { recursive: true });
  }

  /** Copies these files (paths relative to the source folder) in. */
  add(files: readonly string[]): void {
    for (const file of files) {
      const to = path.join(this.dir, file);
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(path.join(this.from, file), to);
    }
  }

  path(file: string): string {
    return path.join(this.dir, file);
  }
}

/** The source's log files (one a day) and song files, relative to it, in name order. */
export function filesOf(from: string): { days: string[]; songs: string[] } {
  const relative = (folder: string) => jsonFilesUnder(path.join(from, folder)).map((f) => path.relative(from, f));
  return { days: relative('log_data'), songs: relative('song_data') };
}

/** The song files under these folders of song_data (e.g. 'A/A/B'). */
export function songsUnder(songs: readonly string[], ...folders: string[]): string[] {
  return songs.filter((f) => folders.some((folder) => f.startsWith(path.join('song_data', folder) + path.sep)));
}

import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir.js';

/** The project's own small data set, with the layouts and edge cases the extract must handle. */
export const MINI = fileURLToPath(new URL('../fixtures/mini/', import.meta.url));

/** The rows the mini fixture gives every table. */
export const MINI_COUNTS = {
  staging_events: 12,
  staging_songs: 6,
  songplays: 8,
  users: 3,
  songs: 5,
  artists: 3,
  time: 7,
  load_errors: 0,
  load_history: 8,
  load_digests: 2,
};

/** The rows the real Udacity sample gives the staging and star tables (computed independently from the raw files, issue 2). */
export const UDACITY_COUNTS = { staging_events: 8056, staging_songs: 71, songplays: 6820, users: 97, songs: 71, artists: 69, time: 6813 };

/** The real Udacity sample, beside the repository in CI; tests using it skip where it is absent. */
export const UDACITY = path.resolve(fileURLToPath(new URL('../../../shared/fixtures/udacity-sample/', import.meta.url)));
export const HAS_UDACITY = existsSync(path.join(UDACITY, 'log_json_path.json'));

/** A copy of the mini fixture in a temporary folder, to spoil or to grow. */
export function copyOfMini(): string {
  const dir = tempDir();
  cpSync(MINI, dir, { recursive: true });
  return dir;
}

/**
 * Adds log_data/2018/12/big.json to a data folder: the first day of the mini
 * fixture `copies` times (20,000 copies are about 160,000 events, 68 MB), so
 * that an extract takes long enough to be cancelled while it runs.
 */
export function addBigLog(dataDir: string, copies = 20_000): void {
  const day = readFileSync(path.join(MINI, 'log_data/2018/11/2018-11-01-mini-events.json'), 'utf8');
  mkdirSync(path.join(dataDir, 'log_data/2018/12'), { recursive: true });
  writeFileSync(path.join(dataDir, 'log_data/2018/12/big.json'), Array.from({ length: copies }, () => day).join('\n'));
}

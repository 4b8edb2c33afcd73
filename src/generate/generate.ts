import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { dailyLogs } from './event-log.js';
import { makeListeners } from './listeners.js';
import { Random } from './random.js';
import { SongCatalog, songFilePath, songFileText } from './song-catalog.js';

export interface GenerateOptions {
  out: string;
  events: number;
  songs: number;
  users: number;
  days: number;
  /** First day of the logs, UTC midnight, in epoch milliseconds. */
  start: number;
  seed: number;
  /** Share of plays whose song, artist and length match a song file exactly. */
  matchRate: number;
}

export interface GenerateSummary {
  events: number;
  plays: number;
  matchedPlays: number;
  songs: number;
  logFiles: number;
  bytes: number;
}

export const GENERATE_DEFAULTS: Omit<GenerateOptions, 'out'> = {
  events: 10_000,
  songs: 1_000,
  users: 100,
  days: 30,
  start: Date.UTC(2018, 10, 1),
  seed: 1,
  matchRate: 0.8,
};

const FIELDS = [
  'artist',
  'auth',
  'firstName',
  'gender',
  'itemInSession',
  'lastName',
  'length',
  'level',
  'location',
  'method',
  'page',
  'registration',
  'sessionId',
  'song',
  'status',
  'ts',
  'userAgent',
  'userId',
];

export const JSONPATHS_TEXT = `{\n    "jsonpaths": [\n${FIELDS.map((f) => `        "$['${f}']"`).join(',\n')}\n    ]\n}`;

/**
 * Writes a data set in exactly the Udacity layout and formats. The same
 * options give byte-identical files; the event log is produced a day at a time.
 */
export function generateDataset(options: GenerateOptions): GenerateSummary {
  const random = new Random(options.seed);
  const songs = new SongCatalog(options.seed, options.songs);
  const listeners = makeListeners(random, options.users, options.start);
  let bytes = 0;
  const write = (relative: string, text: string) => {
    const file = path.join(options.out, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  };

  write('log_json_path.json', JSONPATHS_TEXT);
  const madeDirs = new Set<string>();
  for (const song of songs) {
    const relative = songFilePath(song);
    const dir = path.join(options.out, path.dirname(relative));
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    const text = songFileText(song);
    writeFileSync(path.join(options.out, relative), text);
    bytes += Buffer.byteLength(text);
  }

  const summary: GenerateSummary = { events: 0, plays: 0, matchedPlays: 0, songs: songs.size, logFiles: 0, bytes: 0 };
  for (const day of dailyLogs(random, songs, listeners, options)) {
    const [year, month] = day.date.split('-');
    const file = path.join(options.out, `log_data/${year}/${month}/${day.date}-events.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    bytes += writeLines(file, day.lines());
    summary.events += day.events;
    summary.plays += day.plays;
    summary.matchedPlays += day.matchedPlays;
    summary.logFiles++;
  }
  return { ...summary, bytes };
}

/**
 * Lines joined by newlines (none after the last, as in the Udacity files),
 * encoded into one reused 1 MB buffer: joining them into big strings first
 * left a megabyte of old-generation garbage per write.
 */
function writeLines(file: string, lines: Iterable<string>): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  let used = 0;
  const flush = () => {
    bytes += writeSync(fd, WRITE_BUFFER, 0, used);
    used = 0;
  };
  try {
    let first = true;
    for (const line of lines) {
      if (!first) {
        if (used === WRITE_BUFFER.length) flush();
        WRITE_BUFFER[used++] = 10;
      }
      first = false;
      // A character is at most 3 bytes in UTF-8; a generated line is a few hundred.
      if (used + line.length * 3 > WRITE_BUFFER.length) flush();
      used += WRITE_BUFFER.write(line, used, 'utf8');
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

const WRITE_BUFFER = Buffer.allocUnsafe(1 << 20);

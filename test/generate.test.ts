import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { EVENT_KEYS } from './support/events.js';
import { runCli } from './support/run-cli.js';
import { tempDir } from './support/temp-dir.js';

/** The fields of a generated log event these tests read. */
interface GeneratedEvent {
  ts: number;
  userId: string;
  auth: string;
  firstName: string | null;
  registration: number | null;
  sessionId: number;
  itemInSession: number;
}

const KEYS = EVENT_KEYS;

function filesUnder(dir: string): Map<string, string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(entries.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), 'utf8')]));
}

describe('sparkify generate', () => {
  const options = { ...GENERATE_DEFAULTS, events: 2_000, songs: 150, users: 20, days: 3, seed: 7, matchRate: 0.5 };

  it('writes the Udacity layout: daily JSON-lines logs, one song per file, the jsonpaths file', () => {
    const out = tempDir();
    const summary = generateDataset({ ...options, out });
    expect(summary).toMatchObject({ events: 2_000, songs: 150, logFiles: 3 });
    const files = filesUnder(out);
    expect([...files.keys()].filter((f) => f.startsWith('log_data')).sort()).toEqual([
      'log_data/2018/11/2018-11-01-events.json',
      'log_data/2018/11/2018-11-02-events.json',
      'log_data/2018/11/2018-11-03-events.json',
    ]);
    const songFiles = [...files.keys()].filter((f) => f.startsWith('song_data'));
    expect(songFiles).toHaveLength(150);
    for (const file of songFiles) {
      const [, x, y, z, name] = file.split('/');
      expect(name).toMatch(new RegExp(`^TR${x}${y}${z}[A-Z0-9]{13}\\.json$`));
      const song = JSON.parse(files.get(file)!) as Record<string, unknown>;
      expect(Object.keys(song)).toEqual([
        'num_songs',
        'artist_id',
        'artist_latitude',
        'artist_longitude',
        'artist_location',
        'artist_name',
        'song_id',
        'title',
        'duration',
        'year',
      ]);
      expect(song.song_id).toMatch(/^SO[A-Z0-9]{16}$/);
      expect(song.artist_id).toMatch(/^AR[A-Z0-9]{16}$/);
    }
    expect((JSON.parse(files.get('log_json_path.json')!) as { jsonpaths: string[] }).jsonpaths).toEqual(KEYS.map((k) => `$['${k}']`));

    const day = files.get('log_data/2018/11/2018-11-02-events.json')!;
    expect(day.endsWith('\n')).toBe(false);
    const events = day.split('\n').map((line) => JSON.parse(line) as GeneratedEvent);
    for (const event of events) expect(Object.keys(event)).toEqual(KEYS);
    const ts = events.map((e) => e.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts.every((t) => t >= Date.UTC(2018, 10, 2) && t < Date.UTC(2018, 10, 3))).toBe(true);
    expect(day).toMatch(/"registration":\d+\.\d+,/);
    expect(day).toContain('"userAgent":"\\"Mozilla\\/5.0');
    const loggedOut = events.filter((e) => e.userId === '');
    expect(loggedOut.length).toBeGreaterThan(0);
    expect(loggedOut.every((e) => e.auth === 'Logged Out' && e.firstName === null && e.registration === null)).toBe(true);
    const bySession = new Map<number, { itemInSession: number }[]>();
    for (const e of events) bySession.set(e.sessionId, [...(bySession.get(e.sessionId) ?? []), e]);
    for (const session of bySession.values()) expect(session.map((e) => e.itemInSession)).toEqual(session.map((_, i) => session[0]!.itemInSession + i));
  });

  it('gives byte-identical output for the same arguments, and other output for another seed', () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    generateDataset({ ...options, out: a });
    generateDataset({ ...options, out: b });
    generateDataset({ ...options, seed: 8, out: c });
    expect(filesUnder(a)).toEqual(filesUnder(b));
    expect(filesUnder(a)).not.toEqual(filesUnder(c));
  });

  it('matches plays to song files at the requested rate, with 10,000 events a day in time order', () => {
    const out = tempDir();
    const summary = generateDataset({ ...options, events: 20_000, days: 2, matchRate: 0.7, out });
    expect(summary.matchedPlays / summary.plays).toBeGreaterThan(0.68);
    expect(summary.matchedPlays / summary.plays).toBeLessThan(0.72);

    const files = filesUnder(out);
    const songs = new Set(
      [...files]
        .filter(([name]) => name.startsWith('song_data'))
        .map(([, text]) => {
          const song = JSON.parse(text) as { title: string; artist_name: string; duration: number };
          return `${song.title}|${song.artist_name}|${song.duration}`;
        }),
    );
    let plays = 0;
    let matched = 0;
    for (const [name, text] of files) {
      if (!name.startsWith('log_data')) continue;
      const events = text.split('\n').map((line) => JSON.parse(line) as { ts: number; page: string; song: string; artist: string; length: number });
      expect(events).toHaveLength(10_000);
      const ts = events.map((e) => e.ts);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      for (const e of events.filter((e) => e.page === 'NextSong')) {
        plays++;
        if (songs.has(`${e.song}|${e.artist}|${e.length}`)) matched++;
        else expect(e.song).toMatch(/ \(Live\)$/);
      }
    }
    expect({ plays, matched }).toEqual({ plays: summary.plays, matched: summary.matchedPlays });
  });

  it('checks its arguments', async () => {
    expect(await runCli(['generate'])).toMatchObject({ code: 2, stderr: 'sparkify generate: --out DIR is required\n' });
    expect(await runCli(['generate', '--out', 'x', '--events', '1e3'])).toMatchObject({
      code: 2,
      stderr: 'sparkify generate: --events must be a whole number of at least 1, got "1e3"\n',
    });
    expect(await runCli(['generate', '--out', 'x', '--start', '2018-13-01'])).toMatchObject({
      code: 2,
      stderr: 'sparkify generate: --start must be a date like 2018-11-01, got "2018-13-01"\n',
    });
    expect(await runCli(['generate', '--out', 'x', '--match-rate', '1.5'])).toMatchObject({
      code: 2,
      stderr: 'sparkify generate: --match-rate must be between 0 and 1, got "1.5"\n',
    });
    const dir = tempDir();
    const ok = await runCli(['generate', '--out', 'data', '--events', '500', '--songs', '40', '--days', '2'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(
      new RegExp(
        `^Wrote 500 events \\(\\d+ plays, \\d+\\.\\d% matching a song\\) in 2 log files and 40 song files, [\\d.]+ KB, to ${dir}/data in \\d+\\.\\d\\ds\\n$`,
      ),
    );
  });
});

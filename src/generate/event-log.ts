import { jsonString, nullable, pythonFloat } from './json-text.js';
import type { Listener } from './listeners.js';
import type { Random } from './random.js';
import type { SongCatalog } from './song-catalog.js';
import { ARTIST_WORDS, TITLE_WORDS } from './vocabulary.js';

const DAY_MS = 86_400_000;

/** Plays peak in the afternoon (UTC), as in the real logs. */
const HOUR_WEIGHTS = [3, 3, 2, 2, 2.5, 3, 3.5, 3.5, 4, 5, 6, 6.5, 6, 6, 8, 9, 10, 9, 9, 7, 7, 5, 4, 4];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

/** Pages after the first of a session, by weight; NextSong dominates. */
const PAGES: [string, number][] = [
  ['NextSong', 820],
  ['Home', 80],
  ['Settings', 8],
  ['Help', 7],
  ['About', 5],
  ['Downgrade', 8],
  ['Upgrade', 4],
  ['Save Settings', 2],
  ['Error', 1.5],
  ['Submit Upgrade', 1.5],
  ['Submit Downgrade', 0.5],
];
const PAGE_WEIGHTS = PAGES.map(([, w]) => w);
const PAGE_TOTAL = PAGE_WEIGHTS.reduce((a, b) => a + b, 0);
const LOGGED_OUT_PAGES = ['Home', 'Home', 'Login', 'About', 'Help'];

export interface EventLogOptions {
  events: number;
  days: number;
  start: number;
  matchRate: number;
}

export interface DayLog {
  /** UTC date of the day, YYYY-MM-DD. */
  date: string;
  /** The day's lines in ts order, made as they are read. */
  lines(): Generator<string>;
  events: number;
  plays: number;
  matchedPlays: number;
}

/** Every page an event may show, by its number in DayEvents.page. */
const PAGE_NAMES = [...new Set(['Home', 'Logout', ...PAGES.map(([name]) => name), ...LOGGED_OUT_PAGES])];
const PAGE_NUMBER = new Map(PAGE_NAMES.map((name, i) => [name, i]));
const LEVELS = ['free', 'paid'] as const;
const NO_LISTENER = -1;
const NO_SONG = -1;
const UNKNOWN_SONG = -2;

/**
 * A day's events as numbers in typed arrays, reused from day to day: what a
 * line needs, not the line. The strings of a line are made as it is written
 * and die young; Event objects holding them for a day outlived the young
 * generation and took the peak RSS from 89 MB (100k events) to 153 MB (1M).
 */
class DayEvents {
  count = 0;
  ts = new Float64Array(1024);
  session = new Int32Array(1024);
  item = new Int32Array(1024);
  page = new Uint8Array(1024);
  level = new Uint8Array(1024);
  listener = new Int32Array(1024);
  /** A song of the catalogue, NO_SONG, or UNKNOWN_SONG (the four words are in `words`). */
  song = new Int32Array(1024);
  words = new Uint16Array(4 * 1024);
  duration = new Float64Array(1024);

  add(ts: number, session: number, item: number, page: string, level: Listener['level'], listener: number, song: number, duration: number): number {
    if (this.count === this.ts.length) this.grow();
    const i = this.count++;
    this.ts[i] = ts;
    this.session[i] = session;
    this.item[i] = item;
    this.page[i] = PAGE_NUMBER.get(page)!;
    this.level[i] = level === 'paid' ? 1 : 0;
    this.listener[i] = listener;
    this.song[i] = song;
    this.duration[i] = duration;
    return i;
  }

  /** The events' numbers in ts order (in the order they were made, for equal ts). */
  byTime(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const ts = this.ts;
    return order.sort((a, b) => ts[a]! - ts[b]! || a - b);
  }

  private grow(): void {
    const n = this.ts.length * 2;
    const bigger = <T extends Float64Array | Int32Array | Uint8Array | Uint16Array>(a: T, size = n): T => {
      const b = new (a.constructor as new (size: number) => T)(size);
      b.set(a);
      return b;
    };
    this.ts = bigger(this.ts);
    this.session = bigger(this.session);
    this.item = bigger(this.item);
    this.page = bigger(this.page);
    this.level = bigger(this.level);
    this.listener = bigger(this.listener);
    this.song = bigger(this.song);
    this.words = bigger(this.words, 4 * n);
    this.duration = bigger(this.duration);
  }
}

/**
 * The log of each day in turn (memory is one day's events, not the whole
 * log): sessions of listeners, or of logged-out visitors, with increasing
 * itemInSession, sorted by ts, one JSON object per line and no final newline.
 */
export function* dailyLogs(random: Random, songs: SongCatalog, listeners: Listener[], options: EventLogOptions): Generator<DayLog> {
  let sessionId = 0;
  const events = new DayEvents();
  for (let day = 0; day < options.days; day++) {
    const quota = Math.floor(options.events / options.days) + (day < options.events % options.days ? 1 : 0);
    const dayStart = options.start + day * DAY_MS;
    events.count = 0;
    let plays = 0;
    let matchedPlays = 0;
    while (events.count < quota) {
      sessionId++;
      const hour = random.weighted(HOUR_WEIGHTS, HOUR_TOTAL);
      let ts = dayStart + hour * 3_600_000 + random.int(3_600_000);
      const length = Math.min(quota - events.count, 1 + random.skewed(80, 2));
      if (random.chance(0.04)) {
        const level: Listener['level'] = random.chance(0.5) ? 'paid' : 'free';
        for (let item = 0; item < length && ts < dayStart + DAY_MS; item++) {
          events.add(ts, sessionId, item, random.pick(LOGGED_OUT_PAGES), level, NO_LISTENER, NO_SONG, 0);
          ts += random.between(2, 90) * 1000 + random.int(1000);
        }
        continue;
      }
      const who = random.skewed(listeners.length, 2);
      const listener = listeners[who]!;
      for (let item = 0; item < length && ts < dayStart + DAY_MS; item++) {
        const page = item === 0 ? 'Home' : item === length - 1 && random.chance(0.3) ? 'Logout' : PAGES[random.weighted(PAGE_WEIGHTS, PAGE_TOTAL)]![0];
        if (page === 'NextSong') {
          plays++;
          const match = random.chance(options.matchRate);
          let duration: number;
          if (match) {
            matchedPlays++;
            const song = random.skewed(songs.size, 3);
            duration = songs.song(song).duration;
            events.add(ts, sessionId, item, page, listener.level, who, song, duration);
          } else {
            // A song the catalogue lacks: the artist's two words and the title's two (playAt()
            // makes the names of them), then its duration. The draws keep the order of earlier versions.
            const w = [random.int(ARTIST_WORDS.length), random.int(TITLE_WORDS.length), random.int(TITLE_WORDS.length), random.int(TITLE_WORDS.length)];
            duration = Math.round((60 + random.next() * 400) * 1e5) / 1e5;
            const i = events.add(ts, sessionId, item, page, listener.level, who, UNKNOWN_SONG, duration);
            events.words.set(w, 4 * i);
          }
          ts += Math.round(duration * 1000);
        } else {
          events.add(ts, sessionId, item, page, listener.level, who, NO_SONG, 0);
          if (page === 'Submit Upgrade') listener.level = 'paid';
          if (page === 'Submit Downgrade') listener.level = 'free';
          ts += random.between(2, 60) * 1000 + random.int(1000);
        }
      }
    }
    const order = events.byTime();
    yield {
      date: new Date(dayStart).toISOString().slice(0, 10),
      *lines() {
        for (const i of order) yield lineOf(events, i, listeners, songs);
      },
      events: order.length,
      plays,
      matchedPlays,
    };
  }
}

function lineOf(events: DayEvents, i: number, listeners: Listener[], songs: SongCatalog): string {
  const page = PAGE_NAMES[events.page[i]!]!;
  const level = LEVELS[events.level[i]!]!;
  const who = events.listener[i]!;
  if (who === NO_LISTENER) return loggedOutLine(page, level, events.item[i]!, events.session[i]!, events.ts[i]!);
  return listenerLine(listeners[who]!, { level, page, item: events.item[i]!, session: events.session[i]!, ts: events.ts[i]!, ...playAt(events, i, songs) });
}

/** What the event at i played, if anything. */
function playAt(events: DayEvents, i: number, songs: SongCatalog): { artistName: string | null; title: string | null; duration: number } {
  const song = events.song[i]!;
  if (song === NO_SONG) return { artistName: null, title: null, duration: 0 };
  if (song === UNKNOWN_SONG) {
    const w = 4 * i;
    const words = events.words;
    return {
      artistName: `${ARTIST_WORDS[words[w]!]} ${TITLE_WORDS[words[w + 1]!]}`,
      title: `${TITLE_WORDS[words[w + 2]!]} ${TITLE_WORDS[words[w + 3]!]} (Live)`,
      duration: events.duration[i]!,
    };
  }
  // Made again from its index, as when it was played: holding it for the day is what DayEvents avoids.
  const { artist, title, duration } = songs.song(song);
  return { artistName: artist.name, title, duration };
}

interface LineFields {
  level: string;
  page: string;
  item: number;
  session: number;
  ts: number;
  artistName: string | null;
  title: string | null;
  duration: number;
}

function listenerLine(user: Listener, { level, page, item, session, ts, artistName, title, duration }: LineFields): string {
  const put = page === 'NextSong' || page.startsWith('Submit') || page === 'Logout' || page === 'Save Settings';
  const status = page === 'Error' ? 404 : page.startsWith('Submit') || page === 'Logout' || page === 'Save Settings' ? 307 : 200;
  return (
    `{"artist":${nullable(artistName, true)},"auth":"Logged In","firstName":${jsonString(user.firstName, true)},"gender":"${user.gender}",` +
    `"itemInSession":${item},"lastName":${jsonString(user.lastName, true)},"length":${title === null ? 'null' : duration},"level":"${level}",` +
    `"location":${jsonString(user.location, true)},"method":"${put ? 'PUT' : 'GET'}","page":"${page}","registration":${pythonFloat(user.registration)},` +
    `"sessionId":${session},"song":${nullable(title, true)},"status":${status},"ts":${ts},"userAgent":${jsonString(user.userAgent, true)},"userId":"${user.id}"}`
  );
}

function loggedOutLine(page: string, level: string, item: number, session: number, ts: number): string {
  return (
    `{"artist":null,"auth":"Logged Out","firstName":null,"gender":null,"itemInSession":${item},"lastName":null,"length":null,"level":"${level}",` +
    `"location":null,"method":"${page === 'Login' ? 'PUT' : 'GET'}","page":"${page}","registration":null,"sessionId":${session},"song":null,` +
    `"status":${page === 'Login' ? 307 : 200},"ts":${ts},"userAgent":null,"userId":""}`
  );
}

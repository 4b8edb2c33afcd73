import { jsonString, nullable, pythonFloat } from './json-text.js';
import type { Listener } from './listeners.js';
import type { Random } from './random.js';
import type { Song, SongCatalog } from './song-catalog.js';
import { ARTIST_WORDS, TITLE_WORDS } from './vocabulary.js';

const DAY_MS = 86_400_000;

/** Plays peak in the afternoon (UTC), as in the real logs. */
const HOUR_WEIGHTS = [3, 3, 2, 2, 2.5, 3, 3.5, 3.5, 4, 5, 6, 6.5, 6, 6, 8, 9, 10, 9, 9, 7, 7, 5, 4, 4];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

/** Pages after the first of a session, by weight; NextSong dominates. */
const PAGES: [string, number][] = [
  ['NextSong', 820], ['Home', 80], ['Settings', 8], ['Help', 7], ['About', 5], ['Downgrade', 8],
  ['Upgrade', 4], ['Save Settings', 2], ['Error', 1.5], ['Submit Upgrade', 1.5], ['Submit Downgrade', 0.5],
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

/** What a line needs, kept instead of the line itself: a day's events then take a few MB, not hundreds. */
interface Event {
  ts: number;
  session: number;
  item: number;
  page: string;
  level: 'free' | 'paid';
  /** Null for a logged-out visitor. */
  listener: Listener | null;
  /** For a NextSong: what was played (a song of the catalogue, or one it lacks). */
  artistName: string | null;
  title: string | null;
  duration: number;
}

/**
 * The Event objects of a day, reused the next day: new ones each day would
 * outlive the young generation and pile up in the old one until a full
 * collection (300 MB at 1M events instead of 160).
 */
class EventPool {
  private readonly pool: Event[] = [];
  count = 0;

  add(ts: number, session: number, item: number, page: string, level: Event['level'], listener: Listener | null, play: Play | null): void {
    let e = this.pool[this.count];
    if (!e) this.pool.push((e = { ts: 0, session: 0, item: 0, page: '', level: 'free', listener: null, artistName: null, title: null, duration: 0 }));
    e.ts = ts;
    e.session = session;
    e.item = item;
    e.page = page;
    e.level = level;
    e.listener = listener;
    e.artistName = play?.artistName ?? null;
    e.title = play?.title ?? null;
    e.duration = play?.duration ?? 0;
    this.count++;
  }

  /** This day's events by ts; valid until the next day starts. */
  sorted(): Event[] {
    return this.pool.slice(0, this.count).sort((a, b) => a.ts - b.ts);
  }
}

/**
 * The log of each day in turn (memory is one day's events, not the whole
 * log): sessions of listeners, or of logged-out visitors, with increasing
 * itemInSession, sorted by ts, one JSON object per line and no final newline.
 */
export function* dailyLogs(random: Random, songs: SongCatalog, listeners: Listener[], options: EventLogOptions): Generator<DayLog> {
  let sessionId = 0;
  const events = new EventPool();
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
        const level: Event['level'] = random.chance(0.5) ? 'paid' : 'free';
        for (let item = 0; item < length && ts < dayStart + DAY_MS; item++) {
          events.add(ts, sessionId, item, random.pick(LOGGED_OUT_PAGES), level, null, null);
          ts += random.between(2, 90) * 1000 + random.int(1000);
        }
        continue;
      }
      const listener = listeners[random.skewed(listeners.length, 2)]!;
      for (let item = 0; item < length && ts < dayStart + DAY_MS; item++) {
        const page = item === 0 ? 'Home' : item === length - 1 && random.chance(0.3) ? 'Logout' : PAGES[random.weighted(PAGE_WEIGHTS, PAGE_TOTAL)]![0];
        if (page === 'NextSong') {
          plays++;
          const match = random.chance(options.matchRate);
          const play = match ? playOf(songs.song(random.skewed(songs.size, 3))) : unknownSong(random);
          if (match) matchedPlays++;
          events.add(ts, sessionId, item, page, listener.level, listener, play);
          ts += Math.round(play.duration * 1000);
        } else {
          events.add(ts, sessionId, item, page, listener.level, listener, null);
          if (page === 'Submit Upgrade') listener.level = 'paid';
          if (page === 'Submit Downgrade') listener.level = 'free';
          ts += random.between(2, 60) * 1000 + random.int(1000);
        }
      }
    }
    const ordered = events.sorted();
    yield {
      date: new Date(dayStart).toISOString().slice(0, 10),
      *lines() {
        for (const e of ordered) yield e.listener ? listenerLine(e.listener, e) : loggedOutLine(e.page, e.level, e.item, e.session, e.ts);
      },
      events: ordered.length,
      plays,
      matchedPlays,
    };
  }
}

interface Play {
  artistName: string;
  title: string;
  duration: number;
}

const playOf = (song: Song): Play => ({ artistName: song.artist.name, title: song.title, duration: song.duration });

/** A play of a song that is not in the catalogue (the song files cover only part of the music). */
function unknownSong(random: Random): Play {
  return {
    artistName: `${random.pick(ARTIST_WORDS)} ${random.pick(TITLE_WORDS)}`,
    title: `${random.pick(TITLE_WORDS)} ${random.pick(TITLE_WORDS)} (Live)`,
    duration: Math.round((60 + random.next() * 400) * 1e5) / 1e5,
  };
}

function listenerLine(user: Listener, { level, page, item, session, ts, artistName, title, duration }: Event): string {
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

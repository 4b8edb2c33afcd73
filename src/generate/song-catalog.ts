import { jsonString } from './json-text.js';
import { Random } from './random.js';
import { ARTIST_PLACES, ARTIST_WORDS, TITLE_WORDS } from './vocabulary.js';

export interface Artist {
  id: string;
  name: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
}

export interface Song {
  trackId: string;
  id: string;
  title: string;
  artist: Artist;
  duration: number;
  year: number;
}

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

function makeArtist(random: Random): Artist {
  const words = 1 + random.int(3);
  const parts = Array.from({ length: words }, () => random.pick(ARTIST_WORDS));
  const hasPlace = random.chance(0.6);
  const hasCoordinates = hasPlace && random.chance(0.6);
  return {
    id: `AR${random.id(16)}`,
    name: parts.join(' '),
    location: hasPlace ? random.pick(ARTIST_PLACES) : '',
    latitude: hasCoordinates ? round5(random.next() * 140 - 70) : null,
    longitude: hasCoordinates ? round5(random.next() * 340 - 170) : null,
  };
}

function makeTitle(random: Random): string {
  const words = 1 + random.int(4);
  return Array.from({ length: words }, () => random.pick(TITLE_WORDS)).join(' ');
}

/**
 * Songs whose artists follow popularity (a few artists have many songs), each
 * made from the seed and its index whenever it is asked for: the catalogue is
 * never held, so 100k songs take no more memory than 1,000. The most played
 * (the first, as plays are skewed towards low indexes) are kept once made.
 */
export class SongCatalog implements Iterable<Song> {
  private readonly artistCount: number;
  private readonly popular = new Map<number, Song>();

  constructor(
    private readonly seed: number,
    readonly size: number,
  ) {
    this.artistCount = Math.max(1, Math.ceil(size / 1.5));
  }

  song(index: number): Song {
    const kept = this.popular.get(index);
    if (kept) return kept;
    const random = new Random(mix(this.seed, 0x534f4e47, index));
    const trackId = `TR${random.pick(['A', 'B'])}${String.fromCharCode(65 + random.int(26))}${String.fromCharCode(65 + random.int(26))}${random.id(13)}`;
    const song: Song = {
      trackId,
      id: `SO${random.id(16)}`,
      title: makeTitle(random),
      artist: this.artist(random.skewed(this.artistCount, 2)),
      duration: round5(90 + random.next() * 330),
      year: random.chance(0.35) ? 0 : 1960 + random.int(59),
    };
    if (index < POPULAR_KEPT) this.popular.set(index, song);
    return song;
  }

  private artist(index: number): Artist {
    return makeArtist(new Random(mix(this.seed, 0x41525449, index)));
  }

  *[Symbol.iterator](): Iterator<Song> {
    for (let i = 0; i < this.size; i++) yield this.song(i);
  }
}

/** Songs below this index are kept once made: with plays skewed by a cube, they take a fifth of all plays. */
const POPULAR_KEPT = 1000;

/** A 32-bit seed for one song or artist of a data set (murmur3's finaliser over the three). */
function mix(seed: number, salt: number, index: number): number {
  let h = Math.imul(seed ^ salt, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function songFileText(song: Song): string {
  const { artist } = song;
  const fields = [
    `"num_songs": 1`,
    `"artist_id": "${artist.id}"`,
    `"artist_latitude": ${artist.latitude ?? 'null'}`,
    `"artist_longitude": ${artist.longitude ?? 'null'}`,
    `"artist_location": ${jsonString(artist.location)}`,
    `"artist_name": ${jsonString(artist.name)}`,
    `"song_id": "${song.id}"`,
    `"title": ${jsonString(song.title)}`,
    `"duration": ${song.duration}`,
    `"year": ${song.year}`,
  ];
  return `{${fields.join(', ')}}`;
}

/** song_data/A/B/C/TRABC….json, as the Million Song Dataset lays its files out. */
export function songFilePath(song: Song): string {
  const [x, y, z] = song.trackId.slice(2, 5);
  return `song_data/${x}/${y}/${z}/${song.trackId}.json`;
}

import { jsonString } from './json-text.js';
import type { Random } from './random.js';
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

/** Songs whose artists follow popularity: a few artists have many songs. */
export function makeCatalog(random: Random, songCount: number): Song[] {
  const artists = Array.from({ length: Math.max(1, Math.ceil(songCount / 1.5)) }, () => makeArtist(random));
  return Array.from({ length: songCount }, () => {
    const trackId = `TR${random.pick(['A', 'B'])}${String.fromCharCode(65 + random.int(26))}${String.fromCharCode(65 + random.int(26))}${random.id(13)}`;
    return {
      trackId,
      id: `SO${random.id(16)}`,
      title: makeTitle(random),
      artist: artists[random.skewed(artists.length, 2)]!,
      duration: round5(90 + random.next() * 330),
      year: random.chance(0.35) ? 0 : 1960 + random.int(59),
    };
  });
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

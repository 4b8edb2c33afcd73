import { describe, expect, it } from 'vitest';
import { escapeCopyText } from '../src/etl/copy-text.js';
import { compileJsonPath, parseJsonPathsFile, type JsonPath } from '../src/etl/jsonpaths.js';
import { eventRows, songRows } from '../src/etl/row-encoders.js';
import { STAGING_EVENTS, STAGING_SONGS } from '../src/sql/schema.js';
import { EVENT_KEYS, EVENT_ROWS, SAMPLE_EVENT } from './support/events.js';

const FIELDS = EVENT_KEYS;
const encodeEvent = EVENT_ROWS.encode;
const event = SAMPLE_EVENT;

describe('COPY text for staging rows', () => {
  it('maps events positionally through the jsonpaths file', () => {
    expect(encodeEvent(event)).toBe(
      'Des\'ree\tLogged In\tKaylee\tF\t1\tSummers\t246.30812\tfree\tPhoenix-Mesa-Scottsdale, AZ\tPUT\tNextSong\t1540344794796\t139\tYou Gotta Be\t200\t1541106106796\t"Mozilla/5.0 (Windows NT 6.1; WOW64)"\t8\n',
    );
  });

  it('writes NULL for null and empty fields of events (BLANKSASNULL, EMPTYASNULL)', () => {
    const loggedOut = { ...event, artist: null, firstName: '', userId: '', registration: '', location: '  ' };
    const fields = encodeEvent(loggedOut).slice(0, -1).split('\t');
    expect(fields[0]).toBe('\\N');
    expect(fields[2]).toBe('\\N');
    expect(fields[8]).toBe('\\N');
    expect(fields[11]).toBe('\\N');
    expect(fields[17]).toBe('\\N');
  });

  it('rejects a missing field and a key no path names', () => {
    const { firstName: _, ...withoutName } = event;
    expect(() => encodeEvent(withoutName)).toThrow('missing field "firstName"');
    expect(() => encodeEvent({ ...event, extra: 1 })).toThrow('unknown key "extra"');
    const nested = eventRows(
      parseJsonPathsFile(JSON.stringify({ jsonpaths: [...FIELDS.slice(0, 17).map((f) => `$['${f}']`), '$.user.id'] }), 'p.json'),
      STAGING_EVENTS,
      'p.json',
    );
    expect(nested.fast).toBeNull();
    const { userId: _id, ...anonymous } = event;
    expect(() => nested.encode({ ...anonymous, user: {} })).toThrow('missing field "$.user.id"');
    expect(nested.encode({ ...anonymous, user: { id: 5 } }).endsWith('\t5\n')).toBe(true);
  });

  it('escapes backslashes, tabs and line breaks and drops NUL characters', () => {
    expect(escapeCopyText('a\\b\tc\nd\re\u0000f')).toBe('a\\\\b\\tc\\nd\\ref');
    expect(escapeCopyText('plain')).toBe('plain');
  });

  it('names the column and value that do not fit', () => {
    expect(() => encodeEvent({ ...event, ts: 'abc' })).toThrow('ts: expected a bigint, got "abc"');
    expect(() => encodeEvent({ ...event, sessionId: 1.5 })).toThrow('sessionid: expected an integer, got 1.5');
    expect(() => encodeEvent({ ...event, sessionId: 3000000000 })).toThrow('sessionid: expected an integer, got 3000000000');
    expect(() => encodeEvent({ ...event, length: 'long' })).toThrow('length: expected a number, got "long"');
    expect(() => encodeEvent({ ...event, status: true })).toThrow('status: expected an integer, got true');
  });

  it('matches song fields to columns by lower-cased name and keeps empty text', () => {
    const encodeSong = songRows(STAGING_SONGS).encode;
    const song = {
      NUM_SONGS: 1,
      artist_id: 'AR1',
      Artist_Latitude: null,
      artist_longitude: 12.5,
      artist_location: '',
      artist_name: 'A',
      song_id: 'SO1',
      title: 'T',
      duration: 200.1,
      year: 0,
    };
    expect(encodeSong(song)).toBe('1\tAR1\t\\N\t12.5\t\tA\tSO1\tT\t200.1\t0\n');
    expect(() => encodeSong({ ...song, extra: 'x' })).toThrow('unknown key "extra"');
    const { title: _, ...untitled } = song;
    expect(() => encodeSong(untitled)).toThrow('missing field "title"');
  });
});

describe('jsonpaths', () => {
  it('reads bracket and dot notation, nested fields and indexes', () => {
    const object = { a: { 'b c': [10, 20] }, d: "it's" };
    expect((compileJsonPath(`$['a']['b c'][1]`) as JsonPath).get(object)).toBe(20);
    expect((compileJsonPath(`$["d"]`) as JsonPath).get(object)).toBe("it's");
    expect((compileJsonPath(`$.a.missing`) as JsonPath).get(object)).toBeUndefined();
  });

  it('names the entry it cannot read', () => {
    expect(() => parseJsonPathsFile('{"jsonpaths": ["$[\'a\']", "a.b"]}', 'paths.json')).toThrow('paths.json: jsonpaths[1] "a.b" must start with $');
    expect(() => parseJsonPathsFile('{"paths": []}', 'paths.json')).toThrow(`paths.json: expected {"jsonpaths": ["$['field']", ...]}`);
    expect(() => eventRows(parseJsonPathsFile('{"jsonpaths": ["$.a"]}', 'p.json'), STAGING_EVENTS, 'p.json')).toThrow(
      'p.json: has 1 paths but staging_events has 18 columns',
    );
  });
});

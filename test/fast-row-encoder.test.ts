import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { songRows, type RowMapping } from '../src/etl/row-encoders.js';
import { jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { generateDataset, GENERATE_DEFAULTS } from '../src/generate/generate.js';
import { STAGING_EVENTS, STAGING_SONGS, type Table } from '../src/sql/schema.js';
import { EVENT_KEYS, EVENT_ROWS, SAMPLE_EVENT } from './support/events.js';
import { load, normalised, splitAt, type Outcome } from './support/file-rows.js';
import { HAS_UDACITY, MINI, UDACITY } from './support/fixtures.js';
import { tempDir } from './support/temp-dir.js';

const KEYS = EVENT_KEYS;
const EVENTS = EVENT_ROWS;
const SONGS = songRows(STAGING_SONGS);

/** Both paths agree on this input, fed whole and in the given pieces, and with --max-errors on the rows they leave out. */
function expectSameAsGeneral(mapping: RowMapping, table: Table, bytes: Buffer, cuts: number[] = []): Outcome {
  const general = normalised(load(mapping, [bytes], true), table);
  expect(normalised(load(mapping, [bytes]), table)).toEqual(general);
  const pieces = splitAt(bytes, cuts);
  expect(normalised(load(mapping, pieces), table)).toEqual(normalised(load(mapping, pieces, true), table));
  const rejecting = normalised(load(mapping, [bytes], true, true), table);
  expect(normalised(load(mapping, [bytes], false, true), table)).toEqual(rejecting);
  expect(normalised(load(mapping, pieces, false, true), table)).toEqual(rejecting);
  expect(normalised(load(mapping, pieces, true, true), table)).toEqual(rejecting);
  return general;
}

function jsonParseCalls(work: () => void): number {
  const parse = vi.spyOn(JSON, 'parse');
  try {
    work();
    return parse.mock.calls.length;
  } finally {
    parse.mockRestore();
  }
}

const event = { ...SAMPLE_EVENT, artist: 'Des\'ree "DJ" R\u00f6yksopp \u20ac' };
const line = (o: object) => JSON.stringify(o);

describe('the byte path from JSON to COPY text', () => {
  it('writes exactly the COPY text of the general path for a plain event', () => {
    const bytes = Buffer.from(`${line(event)}\n${line({ ...event, userId: '', artist: null, length: null, firstName: '' })}`);
    const outcome = load(EVENTS, [bytes]);
    expect(outcome).toEqual({
      rows: 2,
      text:
        'Des\'ree "DJ" R\u00f6yksopp \u20ac\tLogged In\tKaylee\tF\t1\tSummers\t246.30812\tfree\tPhoenix-Mesa-Scottsdale, AZ\tPUT\tNextSong\t1540344794796\t139\tYou Gotta Be\t200\t1541106106796\t"Mozilla/5.0 (Windows NT 6.1; WOW64)"\t8\n' +
        '\\N\tLogged In\t\\N\tF\t1\tSummers\t\\N\tfree\tPhoenix-Mesa-Scottsdale, AZ\tPUT\tNextSong\t1540344794796\t139\tYou Gotta Be\t200\t1541106106796\t"Mozilla/5.0 (Windows NT 6.1; WOW64)"\t\\N\n',
    });
    expect(outcome).toEqual(load(EVENTS, [bytes], true));
  });

  it("takes the logs' layout and the song files' layout without parsing any value with JSON.parse", () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const events = load(EVENTS, [
        Buffer.from(`${JSON.stringify(SAMPLE_EVENT)}\n${JSON.stringify({ ...SAMPLE_EVENT, artist: null, length: null, song: null })}`),
      ]);
      const song =
        '{"num_songs": 1, "artist_id": "ARD7TVE1187B99BFB1", "artist_latitude": null, "artist_longitude": null, "artist_location": "California - LA", "artist_name": "Casual", "song_id": "SOMZWCG12A8C13C480", "title": "I Didn\'t Mean To", "duration": 218.93179, "year": 0}';
      const songs = load(SONGS, [Buffer.from(song)]);
      expect(events).toMatchObject({ rows: 2 });
      expect(songs).toMatchObject({ rows: 1 });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('turns every JSON escape into its COPY text', () => {
    const artist = 'a"b\\c/d\ne\tf\rg\bh\fi\u0000j\u00e9\u20ac\u{1F600}k\u0001';
    // Python's json.dumps writes \/ and \u escapes for everything beyond ASCII.
    const escaped = JSON.stringify(artist)
      .replace(/\//g, '\\/')
      .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const bytes = Buffer.from(line({ ...event, artist: 'X' }).replace('"X"', escaped));
    const outcome = expectSameAsGeneral(EVENTS, STAGING_EVENTS, bytes);
    expect((outcome as { text: string }).text.split('\t')[0]).toBe('a"b\\\\c/d\\ne\\tf\\rg\bh\fij\u00e9\u20ac\u{1F600}k\u0001');
  });

  it('finds a quote, a backslash, a control character or a non-digit at each byte of a four-byte word', () => {
    // The byte path reads four bytes at a time: every position of the special byte in a word, cut at every byte.
    const specials = ['\\"', '\\\\', '\\/', '\\n', '\\u00e9', '\u00e9', '\u20ac', '\u0001', '\t', '\u007f', '~'];
    for (const special of specials) {
      for (let at = 0; at < 9; at++) {
        const text = `${'abcdefgh'.slice(0, at)}${special}${'ijklmnop'.slice(0, at % 5)}`;
        const bytes = Buffer.from(line({ ...event, song: 'X' }).replace('"X"', `"${text}"`));
        const outcome = expectSameAsGeneral(EVENTS, STAGING_EVENTS, bytes, [bytes.indexOf(text) + at + 1]);
        if (special === '\u0001' || special === '\t') {
          // The column counts characters (ö and € are one each), as an editor shows them.
          const column = [...bytes.toString('utf8').split(special)[0]!].length + 1;
          const raw = special === '\t' ? 'the escape \\t but found a raw tab' : 'the escape \\u0001 but found a raw control character';
          expect(outcome).toEqual({ error: `day.json:1: line 1, column ${column}: expected ${raw} in a string` });
          continue;
        }
        expect(outcome).toMatchObject({ rows: 1 });
        // And on the byte path itself, not by falling back to the general one (except a text
        // that may be blank, starting with an escape or beyond ASCII: its value is parsed).
        if (at > 0 || !/^(\\[nu]|[^!-~])/.test(special)) expect([text, jsonParseCalls(() => load(EVENTS, [bytes]))]).toEqual([text, 0]);
      }
    }
    const numbers: Record<string, unknown>[] = [];
    for (let digits = 1; digits <= 16; digits++) {
      const n = '9876543210123456'.slice(0, digits);
      numbers.push({ ts: Number(n), sessionId: Number(n), length: Number(`${n}.5`), registration: Number(`0.${n}`), userId: n, itemInSession: -Number(n) });
    }
    numbers.push(
      { sessionId: 2147483647, itemInSession: -2147483648, userId: '2147483647' },
      { sessionId: 2147483648 },
      { itemInSession: -2147483649 },
      { userId: '2147483648' },
    );
    for (const values of numbers) {
      const bytes = Buffer.from(line({ ...event, ...values }));
      for (let cut = 0; cut < bytes.length; cut += 5) expectSameAsGeneral(EVENTS, STAGING_EVENTS, bytes, [cut]);
    }
    expect(load(EVENTS, [Buffer.from(line({ ...event, sessionId: 2147483647, ts: 9876543210123 }))])).toMatchObject({
      text: expect.stringContaining('\t2147483647\tYou Gotta Be\t200\t9876543210123\t'),
    });
    expect(load(EVENTS, [Buffer.from(line({ ...event, sessionId: 2147483648 }))])).toEqual({
      error: 'day.json:1: sessionid: expected an integer, got 2147483648',
    });
  });

  it('agrees with the general path on numbers as strings, blanks, literals, nested values and key order', () => {
    const cases = [
      { ...event, userId: '039', sessionId: '17', ts: ' 1541106106796 ' },
      { ...event, location: '   ', song: '\u00a0', artist: '\u2028' },
      { ...event, song: true, artist: { name: 'x', tags: ['a', 'b'] }, page: 12.5 },
      { ...event, registration: 1e21 },
      { ...event, length: 1.5e-7, registration: '  2.5 ', status: '200' },
      Object.fromEntries(Object.entries(event).reverse()),
    ];
    for (const c of cases) expectSameAsGeneral(EVENTS, STAGING_EVENTS, Buffer.from(line(c)));
    // What JSON.stringify cannot write: -0, and numbers past a double's range.
    const raw = line(event).replace('"length":246.30812', '"length":-0').replace('"itemInSession":1,', '"itemInSession":-0,');
    expect(expectSameAsGeneral(EVENTS, STAGING_EVENTS, Buffer.from(raw))).toMatchObject({
      text: expect.stringContaining('\tLogged In\tKaylee\tF\t0\tSummers\t0\tfree\t'),
    });
    const huge = line(event)
      .replace(/"artist":"(?:[^"\\]|\\.)*"/, '"artist":1e400')
      .replace('"song":"You Gotta Be"', '"song":-1e400');
    expect(expectSameAsGeneral(EVENTS, STAGING_EVENTS, Buffer.from(huge))).toMatchObject({ text: expect.stringMatching(/^Infinity\t.*\t-Infinity\t200\t/) });
  });

  it('reads objects pretty-printed, several on a line, with CRLF and a BOM, cut anywhere', () => {
    const text = `\uFEFF${JSON.stringify(event, null, 2).replace(/\n/g, '\r\n')}\r\n${line(event)} ${line(event)}\r\n\r\n`;
    const bytes = Buffer.from(text);
    for (let cut = 0; cut <= bytes.length; cut += 7) {
      expect(expectSameAsGeneral(EVENTS, STAGING_EVENTS, bytes, [cut, cut + 3])).toMatchObject({ rows: 3 });
    }
  });

  it('names the same file, line and reason as the general path for bad input, with the column in characters', () => {
    const good = line(event);
    const bad: [string, string][] = [
      [`${good}\n${good.replace('"ts":', '"ts" ')}`, "day.json:2: line 2, column 324: expected ':' but found '1'"],
      [`${good}\n${good.replace('1541106106796', '"abc"')}`, 'day.json:2: ts: expected a bigint, got "abc"'],
      [`${good}\n\n${good.replace('"sessionId":139', '"sessionId":1.5e400')}`, 'day.json:3: sessionid: expected an integer, got null'],
      [`${good}\n${good.replace(',"gender":"F"', '')}`, 'day.json:2: missing field "gender"'],
      [`${good}\n${good.replace('{', '{"mood":"happy",')}`, 'day.json:2: unknown key "mood"'],
      [`${good}\n${good.slice(0, 200)}`, "day.json:2: line 2, column 201: expected '\"' to close the string but found the end of the file"],
      [`${good}\n[${good}]`, 'day.json:2: line 2, column 1: expected a JSON object but found an array (each object must stand on its own, not inside [ ])'],
      [`${good}\n${good.replace('Kaylee', 'Kay\tlee')}`, 'day.json:2: line 2, column 74: expected the escape \\t but found a raw tab in a string'],
    ];
    for (const [text, message] of bad) {
      expect(expectSameAsGeneral(EVENTS, STAGING_EVENTS, Buffer.from(text), [150, 400])).toEqual({ error: message });
    }
    const invalid = Buffer.concat([Buffer.from(good.slice(0, 20)), Buffer.from([0xc3, 0x28]), Buffer.from(good.slice(20))]);
    expect(load(EVENTS, [invalid])).toEqual({ error: 'day.json: is not valid UTF-8' });
    // A character cut between two chunks is whole again, not invalid.
    const accented = Buffer.from(line({ ...event, song: '\u00e9t\u00e9' }));
    const at = accented.indexOf(0xc3) + 1;
    expect(load(EVENTS, [accented.subarray(0, at), accented.subarray(at)])).toEqual(load(EVENTS, [accented], true));
  });

  it('reads a 10 MB line', () => {
    const long = 'ab\\"c'.repeat(2_000_000);
    const bytes = Buffer.from(line(event).replace('"You Gotta Be"', `"${long}"`));
    const outcome = load(EVENTS, splitAt(bytes, [1 << 20, 2 << 20, 5 << 20]));
    expect(outcome).toEqual(load(EVENTS, [bytes], true));
    expect((outcome as { text: string }).text.split('\t')[13]).toHaveLength(8_000_000);
  });

  it('equals the general path on the mini fixture, a generated data set and the Udacity sample', () => {
    const out = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out, events: 3000, songs: 200, users: 40, seed: 11 });
    const folders = [MINI, out, ...(HAS_UDACITY ? [UDACITY] : [])];
    for (const folder of folders) {
      for (const file of jsonFilesUnder(path.join(folder, 'log_data'))) {
        expectSameAsGeneral(EVENTS, STAGING_EVENTS, readFileSync(file), [4096, 65536]);
      }
      const songFiles = jsonFilesUnder(path.join(folder, 'song_data')).slice(0, 100);
      for (const file of songFiles) expectSameAsGeneral(SONGS, STAGING_SONGS, readFileSync(file));
    }
    expect(readdirSync(path.join(out, 'log_data/2018/11')).length).toBe(30);
  });
});

/** Numbers JSON allows and JSON.stringify cannot write: -0, and past a double's range (Infinity). */
const RAW_NUMBERS = ['-0', '-0.0', '1e400', '-1e400', '0e5'];

describe('fuzzing the byte path against the general path (fast-check)', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('', ' ', '\t', '\u0000', '\ud800', '\udc00x', '\\', '"', '\u00a0', 'caf\u00e9', '\u{1F3B5}'),
  );
  const value = fc.oneof(
    text,
    fc.integer(),
    fc.double(),
    // RAW_NUMBERS stand for what JSON.stringify cannot write; serialise puts them in as they are.
    fc.constantFrom(null, true, 0, 2 ** 53, '12', ' 7 ', '1.5', ...RAW_NUMBERS.map((n) => `__${n}__`)),
    fc.array(fc.integer(), { maxLength: 2 }),
  );
  const eventArb = fc.record(Object.fromEntries(KEYS.map((k) => [k, value])));
  const layout = fc.constantFrom('lines', 'pretty', 'spaced', 'reversed');

  function serialise(objects: Record<string, unknown>[], how: string): string {
    return layOut(objects, how).replace(/"__(-?[\d.e]+)__"/g, '$1');
  }

  function layOut(objects: Record<string, unknown>[], how: string): string {
    if (how === 'pretty') return objects.map((o) => JSON.stringify(o, null, 2)).join('\n');
    if (how === 'spaced') return objects.map((o) => JSON.stringify(o).replace(/,"/g, ' , "')).join('  ');
    if (how === 'reversed') return objects.map((o) => JSON.stringify(Object.fromEntries(Object.entries(o).reverse()))).join('\r\n');
    return objects.map((o) => JSON.stringify(o)).join('\n');
  }

  it('gives the same rows or the same error for random events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 4 }), layout, fc.array(fc.nat(), { maxLength: 4 }), (objects, how, cuts) => {
        expectSameAsGeneral(EVENTS, STAGING_EVENTS, Buffer.from(serialise(objects, how)), cuts);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same rows or the same error for mutated input, and never crashes', () => {
    const base = Buffer.from(`${line(event)}\n${JSON.stringify({ ...event, artist: null, userId: '' }, null, 1)}\n${line(event)}`);
    const mutation = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), kind: fc.constantFrom('replace', 'insert', 'delete', 'truncate') });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 3 }), (mutations, cuts) => {
        let bytes = base;
        for (const { at, byte, kind } of mutations) {
          const i = at % bytes.length;
          if (kind === 'replace') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i + 1)]);
          if (kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([byte]), bytes.subarray(i)]);
          if (kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
          if (kind === 'truncate') bytes = bytes.subarray(0, i);
        }
        const outcome = expectSameAsGeneral(EVENTS, STAGING_EVENTS, bytes, cuts);
        if ('error' in outcome) expect(outcome.error).toMatch(/^day\.json(:\d+)?: \S/);
      }),
      { numRuns: 1000 },
    );
  });
});

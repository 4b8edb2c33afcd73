import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rejection } from '../src/etl/file-rows.js';
import { FieldError } from '../src/etl/copy-text.js';
import { STAGING_EVENTS } from '../src/sql/schema.js';
import { EVENT_ROWS, SAMPLE_EVENT } from './support/events.js';
import { load, normalised, splitAt, type Outcome } from './support/file-rows.js';

const event = { ...SAMPLE_EVENT, artist: 'R\u00f6yksopp \u20ac \u{1F3B5}' };

/** The outcome of the byte path and of the general one, which must be the same, whole and in the given pieces. */
function loaded(bytes: Buffer, cuts: number[], rejecting: boolean): Outcome {
  const general = normalised(load(EVENT_ROWS, [bytes], true, rejecting), STAGING_EVENTS);
  expect(normalised(load(EVENT_ROWS, [bytes], false, rejecting), STAGING_EVENTS)).toEqual(general);
  const pieces = splitAt(bytes, cuts);
  expect(normalised(load(EVENT_ROWS, pieces, false, rejecting), STAGING_EVENTS)).toEqual(general);
  expect(normalised(load(EVENT_ROWS, pieces, true, rejecting), STAGING_EVENTS)).toEqual(general);
  return general;
}

/** The COPY text of these events, as the general path writes it. */
const rowsOf = (events: object[]) => events.map((e) => EVENT_ROWS.encode(e as Record<string, unknown>)).join('');

describe('a bad line in a file of one event per line', () => {
  const lines = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => JSON.stringify({ ...event, itemInSession: n }));
  const cut = '{"artist":null,"auth":"Logged In",t';
  const text = [...lines.slice(0, 4), cut, ...lines.slice(5)].join('\n');
  const reason = "line 5, column 35: expected a string but found 't'";

  it('costs only that line, on both paths, wherever the chunks are cut; without --max-errors its reason fails the file', () => {
    const good = [...lines.slice(0, 4), ...lines.slice(5)].map((l) => JSON.parse(l) as object);
    // Also after a byte order mark (not a character of the line), and with CRLF.
    for (const file of [text, `\uFEFF${text}`, `${text.replace(/\n/g, '\r\n')}\r\n`]) {
      const bytes = Buffer.from(file);
      for (let at = 0; at <= bytes.length; at += 3) {
        expect(loaded(bytes, [at], true)).toEqual({ rows: 7, text: rowsOf(good), rejected: [{ file: 'day.json', line: 5, reason, raw: cut }] });
        expect(loaded(bytes, [at], false)).toEqual({ error: `day.json:5: ${reason}` });
      }
    }
    const first = [cut, ...lines.slice(1)].join('\n');
    expect(loaded(Buffer.from(`\uFEFF${first}`), [2, 40], true)).toEqual({
      rows: 7,
      text: rowsOf(lines.slice(1).map((l) => JSON.parse(l) as object)),
      rejected: [{ file: 'day.json', line: 1, reason: reason.replace('line 5', 'line 1'), raw: cut }],
    });
  });

  it('names the column in characters after other objects on its line, the line begun in an earlier chunk', () => {
    // Several objects on a line: the bad one costs only itself, and its column counts ö, € and 🎵 as one each.
    const shared = `${lines[0]} ${lines[1]} {"artist":"\u00e9",x}\n${lines[2]}`;
    const column = [...`${lines[0]} ${lines[1]} {"artist":"\u00e9",`].length + 1;
    const bytes = Buffer.from(shared);
    for (let at = 0; at <= bytes.length; at++) {
      expect(loaded(bytes, [at, at + 5], true)).toEqual({
        rows: 3,
        text: rowsOf([lines[0], lines[1], lines[2]].map((l) => JSON.parse(l!) as object)),
        rejected: [{ file: 'day.json', line: 1, reason: `line 1, column ${column}: expected a string but found 'x'`, raw: '{"artist":"\u00e9",x}' }],
      });
    }
  });
});

// Text values with no brace or bracket: a corruption then never makes a good object of a line's start (see below).
const textValue = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[{}[\]]/.test(s));
const goodEvent = fc
  .record({
    artist: fc.option(textValue),
    song: fc.option(textValue),
    location: textValue,
    sessionId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    ts: fc.nat(),
    length: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    userId: fc.oneof(fc.constant(''), fc.nat({ max: 99999 }).map(String)),
  })
  .map((values) => ({ ...event, ...values }));

/**
 * A line spoiled after its first byte `{`: cut short, or a byte replaced,
 * inserted or deleted. The byte is ASCII (UTF-8 stays valid), not a line
 * break, and not a brace or bracket: the line's only top-level `}` is then
 * its last, and a spoiled line is either JSON (and loads, or not, as its
 * values say) or not (and is one rejected row).
 */
const spoiling = fc.record({
  line: fc.nat(),
  kind: fc.constantFrom('cut', 'replace', 'insert', 'delete'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 127 }).filter((b) => b !== 10 && !'{}[]'.includes(String.fromCharCode(b))),
});

function spoil(line: string, { kind, at, byte }: { kind: string; at: number; byte: number }): string {
  // By characters, not UTF-16 units: half a surrogate pair would not be UTF-8.
  const chars = [...line];
  if (chars.length < 2) return line; // cut to its brace already
  const i = 1 + (at % (chars.length - 1)); // never the opening brace
  if (kind === 'cut') chars.length = i;
  else chars.splice(i, kind === 'insert' ? 0 : 1, ...(kind === 'delete' ? [] : [String.fromCharCode(byte)]));
  return chars.join('');
}

/** What a line should give: its row, or its rejection (line number, reason and raw text). */
function expectedOf(line: string, n: number): { row: string } | Rejection {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch (error) {
    // JSON.parse's own position, where it gives one before the line's end, is the column (in characters).
    const position = /at position (\d+)/.exec((error as Error).message);
    const at = position && Number(position[1]) < line.trimEnd().length ? [...line.slice(0, Number(position[1]))].length + 1 : '\\d+';
    return { file: 'day.json', line: n, reason: `line ${n}, column ${at}: expected `, raw: line.trim() };
  }
  try {
    return { row: EVENT_ROWS.encode(value) };
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    return { file: 'day.json', line: n, reason: error.message, raw: JSON.stringify(value) };
  }
}

describe('fuzzing JSON lines with corrupted lines (fast-check)', () => {
  it('loads exactly the other lines, and rejects each corrupted one as one row, on both paths (500 files)', () => {
    fc.assert(
      fc.property(
        fc.array(goodEvent, { minLength: 1, maxLength: 12 }),
        fc.array(spoiling, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 3 }),
        (events, spoilings, eol, endsWithEol, cuts) => {
          const lines = events.map((e) => JSON.stringify(e));
          for (const s of spoilings) lines[s.line % lines.length] = spoil(lines[s.line % lines.length]!, s);
          const bytes = Buffer.from(lines.join(eol) + (endsWithEol ? eol : ''));
          const expected = lines.map((line, i) => expectedOf(line, i + 1));
          const rows = expected.filter((e): e is { row: string } => 'row' in e).map((e) => e.row);
          const rejected = expected.filter((e): e is Rejection => 'reason' in e);

          const outcome = loaded(bytes, cuts, true);
          const text = (normalised({ rows: 0, text: rows.join('') }, STAGING_EVENTS) as { text: string }).text;
          expect(outcome).toMatchObject({ rows: rows.length, text });
          const got = (outcome as { rejected: Rejection[] }).rejected;
          expect(got.map((r) => [r.line, r.raw])).toEqual(rejected.map((r) => [r.line, r.raw]));
          got.forEach((r, i) => {
            const want = rejected[i]!.reason;
            if (want.startsWith('line ')) expect(r.reason).toMatch(new RegExp(`^${want}.+ but found .+$`));
            else expect(r.reason).toBe(want);
          });
          // Without --max-errors, the first of them fails the file, in the same words.
          const failure = loaded(bytes, cuts, false);
          if (got.length > 0) expect(failure).toEqual({ error: `day.json:${got[0]!.line}: ${got[0]!.reason}` });
          else expect(failure).toEqual({ rows: rows.length, text });
        },
      ),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonValue } from '../src/etl/json-reading.js';

describe('reading JSON to say where it goes wrong', () => {
  it('reads one value and says where it ends, without reading what follows', () => {
    expect(readJsonValue('{"a": [1, -2.5e+3, "x\\u00e9\\n", true, false, null, {}]} {"b"')).toEqual({ kind: 'value', end: 55 });
    expect(readJsonValue('  {"a":1}', 0)).toEqual({ kind: 'value', end: 9 });
    expect(readJsonValue('{"a":1', 0)).toEqual({ kind: 'cut', at: 6, expected: "',' or '}'" });
    expect(readJsonValue('{"a":"b\\', 0)).toEqual({ kind: 'cut', at: 8, expected: 'an escape' });
    expect(readJsonValue('{"a":"\u0001"}')).toEqual({ kind: 'error', at: 6, expected: 'the escape \\u0001', found: 'a raw control character in a string' });
    expect(readJsonValue('{"a":"x\r\n"}')).toEqual({ kind: 'error', at: 7, expected: "'\"' to close the string", found: 'the end of the line' });
    expect(readJsonValue('{"a":1e}')).toEqual({ kind: 'error', at: 7, expected: "a digit, '+' or '-'", found: "'}'" });
    expect(readJsonValue("{'a':1}")).toEqual({ kind: 'error', at: 1, expected: "a string or '}'", found: `"'"` });
    expect(readJsonValue('{"a":\u00a0}')).toEqual({ kind: 'error', at: 5, expected: 'a value', found: "'\\u00a0'" });
  });

  // JSON of every kind, and mutated: characters inserted, replaced, deleted, the text cut.
  const mutation = fc.record({
    at: fc.nat(),
    char: fc.constantFrom(...'{}[]":,\\ \n\t\r0123456789-+.eEtrufalsn\u0001x\u00e9\ud83c'),
    kind: fc.constantFrom('insert', 'replace', 'delete', 'cut'),
  });
  const text = fc.tuple(fc.json({ stringUnit: 'binary' }), fc.boolean(), fc.array(mutation, { maxLength: 3 })).map(([json, pretty, mutations]) => {
    let t = pretty ? JSON.stringify(JSON.parse(json), null, 2) : json;
    for (const { at, char, kind } of mutations) {
      const i = t.length === 0 ? 0 : at % t.length;
      if (kind === 'insert') t = t.slice(0, i) + char + t.slice(i);
      if (kind === 'replace') t = t.slice(0, i) + char + t.slice(i + 1);
      if (kind === 'delete') t = t.slice(0, i) + t.slice(i + 1);
      if (kind === 'cut') t = t.slice(0, i);
    }
    return t;
  });

  it('agrees with JSON.parse on what is JSON, and on where it is not when JSON.parse says (3,000 texts)', () => {
    fc.assert(
      fc.property(text, (t) => {
        let parsed = true;
        let message = '';
        try {
          JSON.parse(t);
        } catch (error) {
          parsed = false;
          message = (error as Error).message;
        }
        const reading = readJsonValue(t);
        const whole = reading.kind === 'value' && /^[ \t\r\n]*$/.test(t.slice(reading.end));
        expect(whole).toBe(parsed);
        // Where it goes wrong: for a whole value followed by more, the first character of the more.
        const at = reading.kind === 'value' ? reading.end + /^[ \t\r\n]*/.exec(t.slice(reading.end))![0].length : reading.at;
        const position = /at position (\d+)/.exec(message);
        if (position) expect(at).toBe(Number(position[1]));
      }),
      { numRuns: 3000 },
    );
  });
});

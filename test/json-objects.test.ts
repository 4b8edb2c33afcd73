import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, JsonSyntaxError } from '../src/etl/json-objects.js';

function split(chunks: string[]): [unknown, number][] {
  const out: [unknown, number][] = [];
  const splitter = new JsonObjectSplitter((value, line) => out.push([value, line]));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

function syntaxError(text: string): JsonSyntaxError {
  try {
    split([text]);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonSyntaxError);
    return error as JsonSyntaxError;
  }
  throw new Error('expected a JsonSyntaxError');
}

const a = { a: 1, s: 'x' };
const b = { b: [1, { c: '}' }], q: 'say "hi" \\ {' };

describe('splitting a file into JSON objects', () => {
  it('reads one object per line, with or without a final newline', () => {
    const text = `${JSON.stringify(a)}\n${JSON.stringify(b)}`;
    expect(split([text])).toEqual([[a, 1], [b, 2]]);
    expect(split([`${text}\n`])).toEqual([[a, 1], [b, 2]]);
  });

  it('reads CRLF line ends and blank lines', () => {
    expect(split([`${JSON.stringify(a)}\r\n\r\n${JSON.stringify(b)}\r\n`])).toEqual([[a, 1], [b, 3]]);
  });

  it('reads objects pretty-printed over many lines, and several on one line', () => {
    const text = `${JSON.stringify(a, null, 2)}\n${JSON.stringify(b, null, 4)}{"c":3} {"d":4}\n`;
    expect(split([text])).toEqual([[a, 1], [b, 5], [{ c: 3 }, 13], [{ d: 4 }, 13]]);
  });

  it('gives the same objects wherever the chunks are cut', () => {
    const text = `${JSON.stringify(a)}\r\n${JSON.stringify(b, null, 2)}\n{"e":"\\\\"}\n${JSON.stringify(a)}`;
    const whole = split([text]);
    expect(whole).toHaveLength(4);
    for (let cut = 0; cut <= text.length; cut++) {
      expect(split([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(split(text.split(''))).toEqual(whole);
  });

  it('names the line of invalid JSON', () => {
    const error = syntaxError(`${JSON.stringify(a)}\n{"a": 1,, "b": 2}\n`);
    expect(error.line).toBe(2);
    expect(error.reason).toMatch(/^invalid JSON: /);
  });

  it('refuses arrays and bare values: each object must stand alone', () => {
    expect(syntaxError(`[${JSON.stringify(a)}]`).reason).toBe('expected a JSON object, found an array (each object must stand on its own, not inside [ ])');
    expect(syntaxError(`\n\n42\n`)).toMatchObject({ line: 3, reason: 'expected a JSON object, found "42"' });
  });

  it('says when the file ends inside an object', () => {
    expect(syntaxError(`${JSON.stringify(a)}\n{"a": {"b": 1}`)).toMatchObject({ line: 2, reason: 'unexpected end of file inside a JSON object' });
  });
});

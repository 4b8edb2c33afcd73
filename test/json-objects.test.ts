import { describe, expect, it } from 'vitest';
import { JsonObjectSplitter, JsonSyntaxError, READ_AGAIN_UP_TO } from '../src/etl/json-objects.js';

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
    expect(split([text])).toEqual([
      [a, 1],
      [b, 2],
    ]);
    expect(split([`${text}\n`])).toEqual([
      [a, 1],
      [b, 2],
    ]);
  });

  it('reads CRLF line ends and blank lines', () => {
    expect(split([`${JSON.stringify(a)}\r\n\r\n${JSON.stringify(b)}\r\n`])).toEqual([
      [a, 1],
      [b, 3],
    ]);
  });

  it('reads objects pretty-printed over many lines, and several on one line', () => {
    const text = `${JSON.stringify(a, null, 2)}\n${JSON.stringify(b, null, 4)}{"c":3} {"d":4}\n`;
    expect(split([text])).toEqual([
      [a, 1],
      [b, 5],
      [{ c: 3 }, 13],
      [{ d: 4 }, 13],
    ]);
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

  it('names the line, the column (in characters) and what was found', () => {
    const cases: [string, number, string][] = [
      [`${JSON.stringify(a)}\n{"a": 1,, "b": 2}\n`, 2, "line 2, column 9: expected a string but found ','"],
      ['{"é😀":1,x}', 1, "line 1, column 9: expected a string but found 'x'"],
      ['{"a":"x\ty"}', 1, 'line 1, column 8: expected the escape \\t but found a raw tab in a string'],
      ['{"a":"\\q"}', 1, "line 1, column 8: expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits) but found 'q'"],
      ['{"a":"\\u12g4"}', 1, "line 1, column 11: expected four hex digits after \\u but found 'g'"],
      ['{"a":tru}', 1, "line 1, column 9: expected 'true' but found '}'"],
      ['{"a":01}', 1, "line 1, column 7: expected ',' or '}' but found '1'"],
      ['{"a":-}', 1, "line 1, column 7: expected a digit but found '}'"],
      ['{"a" 1}', 1, "line 1, column 6: expected ':' but found '1'"],
      ['{"a":[1 2]}', 1, "line 1, column 9: expected ',' or ']' but found '2'"],
      ['{\n  "a": 1,\n  "b": oops\n}', 1, "line 3, column 8: expected a value but found 'o'"],
      [`${JSON.stringify(a)}\n{"a": {"b": 1}`, 2, "line 2, column 15: expected ',' or '}' but found the end of the file"],
      [`[${JSON.stringify(a)}]`, 1, 'line 1, column 1: expected a JSON object but found an array (each object must stand on its own, not inside [ ])'],
      ['\n\n42\n', 3, 'line 3, column 1: expected a JSON object but found "42"'],
      ['{"a":1}  x', 1, 'line 1, column 10: expected a JSON object but found "x"'],
    ];
    for (const [text, line, reason] of cases) expect([text, syntaxError(text)]).toMatchObject([text, { line, reason }]);
  });
});

type Read = [line: number, value: unknown] | ['rejected', line: number, reason: string, raw: string];

/** Objects and rejections in order, as a reading that goes on past bad input (--max-errors) gives them. */
function readAll(chunks: string[]): Read[] {
  const out: Read[] = [];
  const splitter = new JsonObjectSplitter(
    (value, line) => out.push([line, value]),
    (line, reason, raw) => out.push(['rejected', line, reason, raw]),
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return out;
}

/**
 * The reading of `text` with rejections, the same wherever its chunks are
 * cut; and without them (no --max-errors), the first bad object fails it with
 * the same line and reason.
 */
function resynced(text: string): Read[] {
  const whole = readAll([text]);
  for (let cut = 0; cut <= text.length; cut++) expect([cut, readAll([text.slice(0, cut), text.slice(cut)])]).toEqual([cut, whole]);
  expect(readAll([...text])).toEqual(whole);
  const first = whole.find((read) => read[0] === 'rejected');
  if (first) expect(syntaxError(text)).toMatchObject({ line: first[1], reason: first[2] });
  return whole;
}

const event = { artist: null, auth: 'Logged In', firstName: 'Walter', gender: 'M', itemInSession: 0 };
const good = (n: number) => JSON.stringify({ ...event, itemInSession: n });

describe('a bad object costs only itself', () => {
  it('in a file of one object per line, the bad line: reading goes on at the next line starting with {', () => {
    const cut = '{"artist":null,"auth":"Logged In",t';
    const lines = [good(1), good(2), good(3), good(4), cut, good(6), good(7), good(8)];
    const expected: Read[] = lines.map((line, i) =>
      i === 4 ? ['rejected', 5, "line 5, column 35: expected a string but found 't'", cut] : [i + 1, JSON.parse(line)],
    );
    expect(resynced(lines.join('\n'))).toEqual(expected);
    expect(resynced(`${lines.join('\r\n')}\r\n`)).toEqual(expected);
  });

  it("a line cut in a string, after a comma or at the file's end; a bad first line; two bad lines in a row; a line of junk after one", () => {
    expect(resynced(`${good(1)}\n{"artist":"Des'r\n${good(3)}`)).toEqual([
      [1, JSON.parse(good(1))],
      ['rejected', 2, "line 2, column 17: expected '\"' to close the string but found the end of the line", `{"artist":"Des'r`],
      [3, JSON.parse(good(3))],
    ]);
    expect(resynced(`${good(1)}\r\n{"artist":null,\r\n${good(3)}\r\n`)).toEqual([
      [1, JSON.parse(good(1))],
      ['rejected', 2, 'line 2, column 16: expected a string but found the end of the line', '{"artist":null,'],
      [3, JSON.parse(good(3))],
    ]);
    for (const end of ['', '\n', '\r\n']) {
      expect(resynced(`${good(1)}\n{"artist":${end}`)).toEqual([
        [1, JSON.parse(good(1))],
        ['rejected', 2, 'line 2, column 11: expected a value but found the end of the file', '{"artist":'],
      ]);
    }
    expect(resynced(`{"artist":nul\n${good(2)}\n`)).toEqual([
      ['rejected', 1, "line 1, column 14: expected 'null' but found the end of the line", '{"artist":nul'],
      [2, JSON.parse(good(2))],
    ]);
    // Two bad lines in a row, each its own row; a line of junk after a bad line goes with it, one after a good line is its own.
    expect(resynced(`${good(1)}\n{"a":1,,"b":2}\n{"a":[\n${good(4)}\n  junk\n\n{"b":t\n  more junk\n${good(9)}`)).toEqual([
      [1, JSON.parse(good(1))],
      ['rejected', 2, "line 2, column 8: expected a string but found ','", '{"a":1,,"b":2}'],
      ['rejected', 3, "line 3, column 7: expected a value or ']' but found the end of the line", '{"a":['],
      [4, JSON.parse(good(4))],
      ['rejected', 5, 'line 5, column 3: expected a JSON object but found "junk"', 'junk'],
      ['rejected', 7, "line 7, column 7: expected 'true' but found the end of the line", '{"b":t\n  more junk'],
      [9, JSON.parse(good(9))],
    ]);
  });
});

describe('a bad object in other layouts', () => {
  it('pretty-printed: the bad object, up to the next line starting with {', () => {
    const pretty = (n: number) => JSON.stringify({ ...event, itemInSession: n, tags: [{ a: 1 }] }, null, 2);
    const broken = pretty(2).replace('"gender": "M"', '"gender": oops');
    expect(resynced(`${pretty(1)}\n${broken}\n${pretty(3)}\n`)).toEqual([
      [1, JSON.parse(pretty(1))],
      ['rejected', 13, "line 17, column 13: expected a value but found 'o'", broken],
      [25, JSON.parse(pretty(3))],
    ]);
    const cut = pretty(2).split('\n').slice(0, 5).join('\n');
    expect(resynced(`${cut}\n${pretty(3)}`)).toEqual([
      ['rejected', 1, 'line 5, column 17: expected a string but found the end of the line', cut],
      [6, JSON.parse(pretty(3))],
    ]);
  });

  it("several on a line: a bad object whose braces balance costs only itself; one cut at its line's end, that line's rest", () => {
    expect(resynced('{"a":1} {"b":2,t} {"c":3}\n{"d":4}')).toEqual([
      [1, { a: 1 }],
      ['rejected', 1, "line 1, column 16: expected a string but found 't'", '{"b":2,t}'],
      [1, { c: 3 }],
      [2, { d: 4 }],
    ]);
    expect(resynced('{"a":1} {"b":\n{"c":3} {"d":4}\n')).toEqual([
      [1, { a: 1 }],
      ['rejected', 1, 'line 1, column 14: expected a value but found the end of the line', '{"b":'],
      [2, { c: 3 }],
      [2, { d: 4 }],
    ]);
  });

  it('keeps a good object with a line inside it starting with {, and after one, stops only where the braces balance', () => {
    // Python's json.dumps(indent=0) puts an array's objects at column 1.
    const flat = '{\n"a": [\n{\n"x": 1\n}\n]\n}';
    expect(resynced(`${flat}\n{"b":1}`)).toEqual([
      [1, { a: [{ x: 1 }] }],
      [8, { b: 1 }],
    ]);
    expect(resynced(`{"b":1}\n${flat}`)).toEqual([
      [1, { b: 1 }],
      [2, { a: [{ x: 1 }] }],
    ]);
    expect(resynced(`${flat}\n{"b":1,t}\n{"c":3}\n{"d":4,\n{"e":5}\n{"f":6}`)).toEqual([
      [1, { a: [{ x: 1 }] }],
      ['rejected', 8, "line 8, column 8: expected a string but found 't'", '{"b":1,t}'],
      [9, { c: 3 }],
      ['rejected', 10, "line 11, column 1: expected a string but found '{'", '{"d":4,\n{"e":5}\n{"f":6}'],
    ]);
  });

  it("past a megabyte, lets the braces or the file's end decide where an object in doubt ends (no reading again per chunk)", () => {
    const long = 'x'.repeat(READ_AGAIN_UP_TO + 10);
    const inChunks = (text: string) => readAll(text.match(/[^]{1,65536}/g)!);
    // A good object with a long line starting with { inside it.
    const flat = `{\n"a": [\n{"x": "${long}"}\n]\n}`;
    expect(inChunks(`${flat}\n{"b":1}`)).toEqual([
      [1, { a: [{ x: long }] }],
      [6, { b: 1 }],
    ]);
    // A line cut before a long one: it ends before the long line, whose braces never balance it.
    const cut = `{"a":[\n{"x":"${long}"}\n{"c":3}\n`;
    const expected: Read[] = [
      ['rejected', 1, "line 1, column 7: expected a value or ']' but found the end of the line", '{"a":['],
      [2, { x: long }],
      [3, { c: 3 }],
    ];
    expect(inChunks(cut)).toEqual(expected);
    expect(readAll([cut])).toEqual(expected);
  });

  it('reads a line break written as an escape, \\n{, as text in a string, not as a line', () => {
    expect(resynced('{"a":"x\\n{\\"b\\":1}"}\n{"a":"\\n{","b":t}\n{"c":1}')).toEqual([
      [1, { a: 'x\n{"b":1}' }],
      ['rejected', 2, "line 2, column 17: expected 'true' but found '}'", '{"a":"\\n{","b":t}'],
      [3, { c: 1 }],
    ]);
  });
});

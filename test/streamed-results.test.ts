import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCsv, renderJson } from '../src/format/result-formats.js';
import { csvStream, jsonStream, type StreamedResultWriter } from '../src/format/streamed-results.js';
import type { QueryResult } from '../src/queries/run-query.js';

/** What a streamed writer gives for the result, its rows cut into batches of the given sizes. */
function streamed(writer: StreamedResultWriter, result: QueryResult, sizes: number[]): string {
  let text = writer.columns(result.columns);
  let at = 0;
  for (const size of sizes) {
    text += writer.rows(result.rows.slice(at, at + size));
    at += size;
  }
  return text + writer.rows(result.rows.slice(at)) + writer.end();
}

const value = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '😀', '\\'), maxLength: 8 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)), { maxKeys: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

const result = fc.integer({ min: 1, max: 4 }).chain((width) =>
  fc.record({
    columns: fc.array(fc.record({ name: fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', ' '), minLength: 1, maxLength: 4 }), numeric: fc.boolean() }), {
      minLength: width,
      maxLength: width,
    }),
    rows: fc.array(fc.array(value, { minLength: width, maxLength: width }), { maxLength: 12 }),
    ms: fc.constant(0),
  }),
);

describe('CSV and JSON written as the rows come', () => {
  it('give exactly what the whole result renders to, however the rows are batched (fast-check)', () => {
    fc.assert(
      fc.property(result, fc.array(fc.nat({ max: 5 }), { maxLength: 5 }), (whole, sizes) => {
        expect(streamed(csvStream(), whole, sizes)).toBe(renderCsv(whole));
        expect(streamed(jsonStream(), whole, sizes)).toBe(renderJson(whole));
      }),
      { numRuns: 1000 },
    );
  });

  it('an empty result: the header alone, an empty array', () => {
    const empty: QueryResult = { columns: [{ name: 'n', numeric: true }], rows: [], ms: 0 };
    expect(streamed(csvStream(), empty, [])).toBe('n\r\n');
    expect(streamed(jsonStream(), empty, [0, 0])).toBe('[]\n');
  });
});

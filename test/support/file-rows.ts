import { CopyBuffer } from '../../src/etl/copy-buffer.js';
import { FileRows, type Rejection } from '../../src/etl/file-rows.js';
import type { RowMapping } from '../../src/etl/row-encoders.js';
import type { Table } from '../../src/sql/schema.js';

export type Outcome = { rows: number; text: string; rejected?: Rejection[] } | { error: string };

/**
 * The rows of one file fed in the given chunks, through the byte path or (general) JSON.parse
 * alone; with `rejecting`, bad rows are left out and listed (--max-errors) instead of failing it.
 * One chunk is given to end(), as the extract gives a small file read whole.
 */
export function load(mapping: RowMapping, chunks: Buffer[], general = false, rejecting = false): Outcome {
  const out = new CopyBuffer(64);
  const rejected: Rejection[] = [];
  const rows = new FileRows('day.json', general ? { ...mapping, fast: null } : mapping, out, undefined, rejecting ? (r) => rejected.push(r) : undefined);
  try {
    if (chunks.length === 1) rows.end(chunks[0]);
    else {
      for (const chunk of chunks) rows.push(chunk);
      rows.end();
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { rows: rows.rows, text: out.take().toString('utf8'), ...(rejecting ? { rejected } : {}) };
}

/**
 * The byte path copies a double's digits as they are ("1.0"), the general one
 * prints the parsed number ("1"): both store the same value, so doubles are
 * compared as numbers.
 */
export function normalised(outcome: Outcome, table: Table): Outcome {
  if ('error' in outcome) return outcome;
  const doubles = table.columns.map((c) => c.type === 'double');
  const text = outcome.text
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((field, i) => (doubles[i] && field !== '\\N' ? String(Number(field)) : field))
        .join('\t'),
    )
    .join('\n');
  return { ...outcome, text };
}

/** The bytes in pieces, cut at the given offsets (modulo its length + 1). */
export function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

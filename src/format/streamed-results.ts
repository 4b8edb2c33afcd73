import type { ResultColumn } from '../queries/run-query.js';
import { csvLine } from './result-formats.js';

/**
 * A result written as its rows come, a batch at a time, so that a query of
 * millions of rows never needs them all at once. What a writer returns for
 * the columns, each batch and the end, put together, is exactly what
 * renderCsv or renderJson gives for the whole result.
 */
export interface StreamedResultWriter {
  columns(columns: ResultColumn[]): string;
  rows(batch: unknown[][]): string;
  end(): string;
}

/** RFC 4180 CSV with a header row, as renderCsv. */
export function csvStream(): StreamedResultWriter {
  return {
    columns: (columns) => csvLine(columns.map((c) => c.name)),
    rows: (batch) => batch.map(csvLine).join(''),
    end: () => '',
  };
}

/** A JSON array of objects keyed by column name, laid out as renderJson lays it out (two-space indent). */
export function jsonStream(): StreamedResultWriter {
  let names: string[] = [];
  let first = true;
  return {
    columns(columns) {
      names = columns.map((c) => c.name);
      return '';
    },
    rows(batch) {
      let text = '';
      for (const row of batch) {
        const object = Object.fromEntries(names.map((name, i) => [name, row[i] ?? null]));
        text += `${first ? '[\n' : ',\n'}${JSON.stringify(object, null, 2).replace(/^/gm, '  ')}`;
        first = false;
      }
      return text;
    },
    end: () => (first ? '[]\n' : '\n]\n'),
  };
}

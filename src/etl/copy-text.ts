import type { Column, ColumnType } from '../sql/schema.js';
import { EXIT, SparkifyError } from '../sparkify-error.js';

/**
 * Encoding of JSON values into PostgreSQL COPY text, with Redshift's JSON COPY
 * conversions: numbers may arrive as strings, empty numeric fields are NULL,
 * and (with EMPTYASNULL/BLANKSASNULL) so are empty or blank text fields.
 */
export const NULL_FIELD = '\\N';

// NUL is among them: it cannot be stored in text, and is dropped.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\\\n\r\t\u0000]/;
// eslint-disable-next-line no-control-regex
const SPECIAL_ALL = /[\\\n\r\t\u0000]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u0000': '' };

export function escapeCopyText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

/** A value that does not fit its column; the caller adds file and line. Bad input: exit code 1. */
export class FieldError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'FieldError';
}

export type FieldEncoder = (value: unknown) => string;

const INTEGER_TEXT = /^[+-]?\d+$/;
/** The ranges checked without BigInt (bigint only up to 2^53, beyond which BigInt decides). */
export const INTEGER_RANGES: Partial<Record<ColumnType, [number, number]>> = {
  smallint: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  bigint: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const BIGINT_RANGE: [bigint, bigint] = [-9223372036854775808n, 9223372036854775807n];

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Whole numbers, checked against the column's range; on the hot path without BigInt. */
function integerEncoder(column: Column): FieldEncoder {
  const [min, max] = INTEGER_RANGES[column.type]!;
  const fail = (value: unknown): never => {
    throw new FieldError(`${column.name}: expected ${column.type === 'bigint' ? 'a' : 'an'} ${column.type}, got ${show(value)}`);
  };
  return (value) => {
    if (typeof value === 'number') {
      return Number.isSafeInteger(value) && value >= min && value <= max ? String(value) : fail(value);
    }
    if (value === null || value === undefined) return NULL_FIELD;
    if (typeof value !== 'string') return fail(value);
    const trimmed = value.trim();
    if (trimmed === '') return NULL_FIELD;
    if (!INTEGER_TEXT.test(trimmed)) return fail(value);
    if (trimmed.length <= 15) {
      const n = Number(trimmed);
      return n >= min && n <= max ? String(n) : fail(value);
    }
    // Beyond 15 digits only a bigint can hold it, and only BigInt compares it exactly;
    // beyond 20 characters nothing can (and BigInt of a 10 MB string takes seconds).
    if (column.type !== 'bigint' || trimmed.length > 20) return fail(value);
    const n = BigInt(trimmed);
    return column.type === 'bigint' && n >= BIGINT_RANGE[0] && n <= BIGINT_RANGE[1] ? n.toString() : fail(value);
  };
}

function doubleEncoder(column: Column): FieldEncoder {
  const fail = (value: unknown): never => {
    throw new FieldError(`${column.name}: expected a number, got ${show(value)}`);
  };
  return (value) => {
    if (value === null || value === undefined) return NULL_FIELD;
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : fail(value);
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed === '') return NULL_FIELD;
      const n = Number(trimmed);
      return Number.isFinite(n) ? String(n) : fail(value);
    }
    return fail(value);
  };
}

function textEncoder(emptyAsNull: boolean): FieldEncoder {
  return (value) => {
    if (value === null || value === undefined) return NULL_FIELD;
    if (typeof value === 'string') {
      if (emptyAsNull && value.trim() === '') return NULL_FIELD;
      return escapeCopyText(value);
    }
    if (typeof value === 'object') return escapeCopyText(JSON.stringify(value));
    // A number (1e400 is Infinity, which JSON.stringify would write as null) or a boolean.
    return `${value as number | boolean}`;
  };
}

export interface EncoderOptions {
  /** EMPTYASNULL + BLANKSASNULL for text columns (numeric ones are always so). */
  emptyTextAsNull: boolean;
}

export function encoderFor(column: Column, options: EncoderOptions): FieldEncoder {
  switch (column.type) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return integerEncoder(column);
    case 'double':
      return doubleEncoder(column);
    case 'text':
      return textEncoder(options.emptyTextAsNull);
    case 'timestamp':
      throw new Error(`staging column ${column.name} cannot be a timestamp`);
  }
}

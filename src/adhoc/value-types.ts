import type pg from 'pg';
import { warehouseTypes } from '../warehouse/pg-types.js';

const INT8 = 20;
const FLOAT4 = 700;
const FLOAT8 = 701;
const NUMERIC = 1700;

/**
 * A number as a JS number when that keeps its value and prints it as the
 * server did (but for trailing zeros: 1.50 is 1.5); otherwise the server's
 * text, so that an ad-hoc result never loses digits: a bigint past 2^53, a
 * numeric of more than 15 significant digits, NaN and Infinity (which JSON
 * has no word for) stay as they came.
 */
export function exactNumber(text: string): number | string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  if (value !== 0 && (Math.abs(value) >= 1e21 || Math.abs(value) < 1e-6)) return text;
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return digits.length <= 15 ? value : text;
}

/** The type parsers of an ad-hoc statement's rows: the warehouse's (dates as the server prints them), with numbers kept exact. */
export const adhocTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ((format === undefined || format === 'text') && (oid === INT8 || oid === NUMERIC || oid === FLOAT4 || oid === FLOAT8)) return exactNumber;
    return warehouseTypes.getTypeParser(oid, format);
  },
} satisfies pg.CustomTypesConfig;

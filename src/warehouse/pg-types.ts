import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const parseCount = (text: string) => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};
const parseNumeric = (text: string) => Number(text);

/**
 * Result values as analysts expect them: counts as numbers, timestamps as the
 * server prints them (no shift into the local time zone), numerics as numbers.
 */
export const warehouseTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format === undefined || format === 'text') {
      if (oid === INT8) return parseCount;
      if (oid === NUMERIC) return parseNumeric;
      if (oid === DATE || oid === TIMESTAMP || oid === TIMESTAMPTZ) return (text: string) => text;
    }
    return pg.types.getTypeParser(oid, format) as (text: string) => unknown;
  },
} satisfies pg.CustomTypesConfig;

export const NUMERIC_TYPE_IDS = new Set([20, 21, 23, 26, 700, 701, NUMERIC]);

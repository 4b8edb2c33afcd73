import type { FieldEncoder } from '../copy-text.js';

export type FastKind = 'text' | 'integer' | 'double';

/** What the byte path knows of a column: where its value is and how to write it. */
export interface FastColumn {
  /** The exact top-level key. */
  key: string;
  kind: FastKind;
  /** An integer column's range, and how many digits always fit in it. */
  min: number;
  max: number;
  safeDigits: number;
  /** EMPTYASNULL + BLANKSASNULL: an empty or blank text is NULL. */
  emptyAsNull: boolean;
  /** The general encoder, whose results the byte path must equal. */
  encode: FieldEncoder;
}

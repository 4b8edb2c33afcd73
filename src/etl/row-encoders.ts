import type { Table } from '../sql/schema.js';
import { encoderFor, type FieldEncoder } from './copy-text.js';
import type { Getter } from './jsonpaths.js';

/** Turns one source object into one line of COPY text (with its newline). */
export type RowEncoder = (object: Record<string, unknown>) => string;

function joinFields(getters: Getter[], encoders: FieldEncoder[]): RowEncoder {
  const last = encoders.length - 1;
  return (object) => {
    let line = '';
    for (let i = 0; i < last; i++) line += encoders[i]!(getters[i]!(object)) + '\t';
    return line + encoders[last]!(getters[last]!(object)) + '\n';
  };
}

/**
 * Log events: the jsonpaths file maps positionally onto the staging columns,
 * as Redshift's `FORMAT AS JSON 'jsonpaths'` does; text fields get EMPTYASNULL.
 */
export function eventRowEncoder(getters: Getter[], table: Table, jsonPathsName: string): RowEncoder {
  if (getters.length !== table.columns.length) {
    throw new Error(`${jsonPathsName}: has ${getters.length} paths but ${table.name} has ${table.columns.length} columns`);
  }
  return joinFields(getters, table.columns.map((c) => encoderFor(c, { emptyTextAsNull: true })));
}

/** Song files: fields match columns by lower-cased name, as `FORMAT AS JSON 'auto ignorecase'` does. */
export function songRowEncoder(table: Table): RowEncoder {
  const getters = table.columns.map((c): Getter => (object) => {
    const value = object[c.name];
    return value !== undefined ? value : caseInsensitiveField(object, c.name);
  });
  return joinFields(getters, table.columns.map((c) => encoderFor(c, { emptyTextAsNull: false })));
}

function caseInsensitiveField(object: Record<string, unknown>, name: string): unknown {
  for (const key in object) if (key.toLowerCase() === name) return object[key];
  return undefined;
}

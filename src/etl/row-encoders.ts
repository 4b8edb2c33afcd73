import type { Table } from '../sql/schema.js';
import { encoderFor, type FieldEncoder } from './copy-text.js';
import type { Getter } from './jsonpaths.js';

/** Turns one source object into one line of COPY text (with its newline). */
export type RowEncoder = (object: Record<string, unknown>) => string;

/**
 * One line from N fields. The function is generated with one call site per
 * field (`e0(g0(o)) + '\t' + e1(g1(o)) …`): each site then always calls the same
 * function and V8 inlines it, where a loop over arrays of functions calls
 * through one megamorphic site (measured: encoding 100k events 187 → ~100 ms).
 */
function joinFields(getters: Getter[], encoders: FieldEncoder[]): RowEncoder {
  const names = encoders.flatMap((_, i) => [`e${i}`, `g${i}`]);
  const fields = encoders.map((_, i) => `e${i}(g${i}(o))`).join(" + '\\t' + ");
  const make = new Function(...names, `return function encodeRow(o) { return ${fields} + '\\n'; };`) as (...fns: unknown[]) => RowEncoder;
  return make(...encoders.flatMap((e, i) => [e, getters[i]]));
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

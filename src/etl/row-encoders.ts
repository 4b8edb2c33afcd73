import type { Column, Table } from '../sql/schema.js';
import { encoderFor, FieldError, INTEGER_RANGES, type FieldEncoder } from './copy-text.js';
import type { FastColumn } from './byte-path/column.js';
import { InputError } from './input-error.js';
import type { Getter, JsonPath } from './jsonpaths.js';

/** Turns one source object into one line of COPY text (with its newline). */
export type RowEncoder = (object: Record<string, unknown>) => string;

/** How the objects of a file become rows. */
export interface RowMapping {
  /** The general path: a parsed object to a COPY line; throws FieldError. */
  encode: RowEncoder;
  /** The columns for the byte path (FastRowEncoder), or null where the mapping needs the general one. */
  fast: FastColumn[] | null;
}

/**
 * One line from N fields. The function is generated with one call site per
 * field (`e0(g0(o)) + '\t' + e1(g1(o)) …`): each site then always calls the same
 * function and V8 inlines it, where a loop over arrays of functions calls
 * through one megamorphic site (measured: encoding 100k events 187 → ~100 ms).
 */
function joinFields(getters: Getter[], encoders: FieldEncoder[], checkKeys: (object: Record<string, unknown>) => void): RowEncoder {
  const names = ['checkKeys', ...encoders.flatMap((_, i) => [`e${i}`, `g${i}`])];
  const fields = encoders.map((_, i) => `e${i}(g${i}(o))`).join(" + '\\t' + ");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from column indexes only, for the speed said above
  const make = new Function(...names, `return function encodeRow(o) { checkKeys(o); return ${fields} + '\\n'; };`) as (...fns: unknown[]) => RowEncoder;
  return make(checkKeys, ...encoders.flatMap((e, i) => [e, getters[i]]));
}

/** Every field must be present (null is a value); a missing one is an error, not a NULL. */
function required(get: Getter, label: string): Getter {
  return (object) => {
    const value = get(object);
    if (value === undefined) throw new FieldError(`missing field "${label}"`);
    return value;
  };
}

function fastColumn(key: string, column: Column, encode: FieldEncoder, emptyAsNull: boolean): FastColumn {
  const [min, max] = INTEGER_RANGES[column.type] ?? [0, 0];
  const kind = column.type === 'double' ? 'double' : column.type === 'text' ? 'text' : 'integer';
  const safeDigits = String(Math.min(max, -min)).length - 1;
  return { key, kind, min, max, safeDigits, emptyAsNull: emptyAsNull && kind === 'text', encode };
}

/**
 * Log events: the jsonpaths file maps positionally onto the staging columns,
 * as Redshift's `FORMAT AS JSON 'jsonpaths'` does; text fields get EMPTYASNULL.
 * Stricter than Redshift: a key no path names, or a path with no value, is an error.
 */
export function eventRows(paths: JsonPath[], table: Table, jsonPathsName: string): RowMapping {
  if (paths.length !== table.columns.length) {
    throw new InputError(jsonPathsName, null, `has ${paths.length} paths but ${table.name} has ${table.columns.length} columns`);
  }
  const encoders = table.columns.map((c) => encoderFor(c, { emptyTextAsNull: true }));
  const keys = new Set(paths.map((p) => p.key));
  const checkKeys = (object: Record<string, unknown>) => {
    for (const key in object) if (!keys.has(key)) throw new FieldError(`unknown key "${key}"`);
  };
  const getters = paths.map((p) => required(p.get, p.topLevel ? p.key : p.expression));
  const flat = paths.every((p) => p.topLevel) && keys.size === paths.length;
  return {
    encode: joinFields(getters, encoders, checkKeys),
    fast: flat ? table.columns.map((c, i) => fastColumn(paths[i]!.key, c, encoders[i]!, true)) : null,
  };
}

/** Song files: fields match columns by lower-cased name, as `FORMAT AS JSON 'auto ignorecase'` does. */
export function songRows(table: Table): RowMapping {
  const names = new Set(table.columns.map((c) => c.name));
  const checkKeys = (object: Record<string, unknown>) => {
    for (const key in object) if (!names.has(key.toLowerCase())) throw new FieldError(`unknown key "${key}"`);
  };
  const getters = table.columns.map((c) =>
    required((object) => {
      const value = object[c.name];
      return value !== undefined ? value : caseInsensitiveField(object, c.name);
    }, c.name),
  );
  const encoders = table.columns.map((c) => encoderFor(c, { emptyTextAsNull: false }));
  return {
    encode: joinFields(getters, encoders, checkKeys),
    fast: table.columns.map((c, i) => fastColumn(c.name, c, encoders[i]!, false)),
  };
}

function caseInsensitiveField(object: Record<string, unknown>, name: string): unknown {
  for (const key in object) if (key.toLowerCase() === name) return object[key];
  return undefined;
}

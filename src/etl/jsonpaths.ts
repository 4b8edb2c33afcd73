import { InputError } from './input-error.js';

/**
 * Redshift JSONPath expressions as log_json_path.json holds them:
 * `$['artist']`, `$["a"]["b"]`, `$.a.b`, `$['items'][0]`.
 */
export type Getter = (object: Record<string, unknown>) => unknown;

export interface JsonPath {
  expression: string;
  get: Getter;
  /** The top-level key the path starts at. */
  key: string;
  /** Whether the path is that key alone ($['ts']), with no steps below it. */
  topLevel: boolean;
}

export function compileJsonPath(expression: string): JsonPath | string {
  const steps: (string | number)[] = [];
  const text = expression.trim();
  if (!text.startsWith('$')) return `"${expression}" must start with $`;
  let i = 1;
  while (i < text.length) {
    const rest = text.slice(i);
    const match =
      /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest) ?? /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest) ?? /^\[(\d+)\]/.exec(rest) ?? /^\.([A-Za-z_$][\w$]*)/.exec(rest);
    if (!match) return `"${expression}" is not a JSONPath Redshift accepts (use $['name'] or $.name)`;
    const isIndex = match[0].startsWith('[') && /^\d+$/.test(match[1]!);
    steps.push(isIndex ? Number(match[1]) : match[1]!.replace(/\\(.)/g, '$1'));
    i += match[0].length;
  }
  if (steps.length === 0) return `"${expression}" names no field`;
  const key = String(steps[0]);
  if (steps.length === 1) return { expression, key, topLevel: true, get: (object) => object[key] };
  const get: Getter = (object) => {
    let value: unknown = object;
    for (const step of steps) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string | number, unknown>)[step];
    }
    return value;
  };
  return { expression, key, topLevel: false, get };
}

/** The `jsonpaths` array of a jsonpaths file, compiled; errors name the entry. */
export function parseJsonPathsFile(text: string, fileName: string): JsonPath[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(fileName, null, `invalid JSON: ${(error as Error).message}`);
  }
  const paths = (parsed as { jsonpaths?: unknown } | null)?.jsonpaths;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw new InputError(fileName, null, `expected {"jsonpaths": ["$['field']", ...]}`);
  }
  return paths.map((p: string, index) => {
    const path = compileJsonPath(p);
    if (typeof path === 'string') throw new InputError(fileName, null, `jsonpaths[${index}] ${path}`);
    return path;
  });
}

import type { CannedQuery, QueryParam } from './catalog.js';

const INTEGER = /^[+-]?\d{1,10}$/;

/** Why `value` does not fit `param`, or null. */
export function paramProblem(param: QueryParam, value: string): string | null {
  if (param.type === 'integer' && (!INTEGER.test(value.trim()) || Math.abs(Number(value)) > 2147483647)) {
    return `${param.name} must be a whole number, got "${value}"`;
  }
  if (param.type === 'text' && value.length === 0) return `${param.name} must not be empty`;
  return null;
}

/**
 * The bind values of a query, in placeholder order, from NAME → text; or the
 * one-line reason they are not right (an unknown, missing or malformed one).
 */
export function bindValues(query: CannedQuery, given: Record<string, string>): { values: unknown[] } | { error: string } {
  const params = query.params ?? [];
  const unknown = Object.keys(given).find((name) => !params.some((p) => p.name === name));
  if (unknown !== undefined) {
    const known = params.length > 0 ? `it takes ${params.map((p) => p.name).join(', ')}` : 'it takes none';
    return { error: `${query.name} has no parameter "${unknown}" (${known})` };
  }
  const values: unknown[] = [];
  for (const param of params) {
    const value = given[param.name];
    if (value === undefined) return { error: `${query.name} needs --param ${param.name}=… (${param.description})` };
    const problem = paramProblem(param, value);
    if (problem) return { error: problem };
    values.push(param.type === 'integer' ? Number(value) : value);
  }
  return { values };
}

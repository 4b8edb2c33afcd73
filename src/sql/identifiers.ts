/** Names both dialects reserve (or treat as keywords) that the schema uses: quoted wherever they are named. */
const QUOTED = new Set(['time', 'year', 'month', 'day', 'hour', 'week']);

/** An identifier as SQL: quoted where the name is reserved. */
export function ident(name: string): string {
  return QUOTED.has(name) ? `"${name}"` : name;
}

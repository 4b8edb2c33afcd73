/**
 * A config value as a SQL string literal. Quotes are doubled and, because
 * Redshift reads a backslash in a literal as an escape, so are backslashes:
 * no value can end the literal or the statement.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A moment as load_history keeps it: UTC, to the millisecond, without a zone (both dialects' TIMESTAMP). */
export function utcTimestampText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

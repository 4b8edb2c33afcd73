/**
 * A config value as a SQL string literal. Quotes are doubled and, because
 * Redshift reads a backslash in a literal as an escape, so are backslashes:
 * no value can end the literal or the statement.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

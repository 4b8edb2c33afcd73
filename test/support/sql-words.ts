/**
 * Reading the words of a SQL text for the reserved-word test: what is left
 * once string literals, quoted identifiers and comments are blanked out, and
 * the words that stand where an identifier stands.
 */

/**
 * The text with each '…' literal made a number, each "…" identifier a plain
 * word that no list reserves (Q___), and each -- comment blank; lengths kept.
 */
export function blankQuoted(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*/g, (m) =>
    m.startsWith("'") ? '0'.repeat(m.length) : m.startsWith('"') ? 'Q'.padEnd(m.length, '_') : ' '.repeat(m.length),
  );
}

/** Every bare word (not a number, a $1 placeholder or inside quotes). */
export function bareWords(sql: string): string[] {
  return blankQuoted(sql).match(/(?<![\w$])[A-Za-z_][\w$]*/g) ?? [];
}

const WORD = String.raw`([A-Za-z_][\w$]*)`;

/**
 * The bare words in identifier positions: aliases after AS (not a CAST's
 * type, not FORMAT AS JSON), both parts of a qualified name, the name after
 * FROM, JOIN, INTO, TABLE, REFERENCES, CONSTRAINT, RENAME TO and LOCK, a
 * table's alias after its name, the columns of a CREATE TABLE and every
 * parenthesised column list after a table name or a key.
 */
export function identifierPositions(sql: string): string[] {
  const text = blankQuoted(sql);
  const found: string[] = [];
  const collect = (pattern: RegExp, pick: (m: RegExpExecArray) => string[]) => {
    for (const m of text.matchAll(pattern)) found.push(...pick(m));
  };
  // An alias; a CAST's type is followed by ")", FORMAT AS names a format, and CREATE TABLE … AS SELECT a query.
  collect(new RegExp(String.raw`(?<!FORMAT\s+)\bAS\s+(?!SELECT\b)${WORD}(?!\s*[()])`, 'gi'), (m) => [m[1]!]);
  collect(new RegExp(String.raw`${WORD}\s*\.\s*${WORD}`, 'g'), (m) => [m[1]!, m[2]!]);
  collect(new RegExp(String.raw`\b(?:FROM|JOIN|INTO|TABLE(?:\s+IF(?:\s+NOT)?\s+EXISTS)?|REFERENCES|CONSTRAINT|RENAME\s+TO|LOCK)\s+${WORD}`, 'gi'), (m) => [
    m[1]!,
  ]);
  // A table's alias: FROM songplays sp, JOIN songs s.
  const clause = /^(ON|WHERE|GROUP|ORDER|LEFT|RIGHT|INNER|JOIN|LIMIT|UNION|FROM|IAM_ROLE|HAVING|AND)$/i;
  collect(new RegExp(String.raw`\b(?:FROM|JOIN)\s+[A-Za-z_][\w$.]*\s+${WORD}`, 'gi'), (m) => (clause.test(m[1]!) ? [] : [m[1]!]));
  // The columns of CREATE TABLE: the first word of each element that is not a constraint.
  collect(/\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s[^(]*\(([\s\S]*?)\n\)/gi, (m) =>
    m[1]!
      .split(/,\s*\n/)
      .map((element) => /^\s*([A-Za-z_][\w$]*)/.exec(element)?.[1] ?? '')
      .filter((first) => first && !/^(PRIMARY|FOREIGN|CONSTRAINT|UNIQUE|CHECK)$/i.test(first)),
  );
  // Column lists: INSERT INTO t (a, b), COPY t (a), KEY (a), REFERENCES t (a), DISTKEY (a), SORTKEY (a), ANALYZE t (a).
  collect(/\b(?:INTO|COPY|KEY|REFERENCES|DISTKEY|SORTKEY|ANALYZE)\s+(?:[A-Za-z_][\w$.]*\s*)?\(([^()]*)\)/gi, (m) =>
    m[1]!.split(',').flatMap((part) => /^\s*([A-Za-z_][\w$]*)\s*$/.exec(part)?.[1] ?? []),
  );
  return found;
}

/** What a statement is, from its first words (comments, blanks and opening parentheses before them skipped). */

/** The statement's first words, upper-cased (at most `count`). */
export function leadingWords(text: string, count = 2): string[] {
  const words: string[] = [];
  const pattern = /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|\(|([A-Za-z_][A-Za-z0-9_$]*)|[\s\S]/gy;
  for (const match of text.matchAll(pattern)) {
    if (match[1]) words.push(match[1].toUpperCase());
    else if (!/^(\s+|--.*|\/\*[\s\S]*|\()$/.test(match[0])) break;
    if (words.length === count) break;
  }
  return words;
}

/**
 * A query whose rows a cursor can fetch a batch at a time (DECLARE … CURSOR
 * FOR takes a SELECT, on Redshift as on PostgreSQL). Other statements that
 * return rows (SHOW, EXPLAIN, … RETURNING) are small, and come whole.
 */
export function isQuery(text: string): boolean {
  return ['SELECT', 'WITH', 'VALUES', 'TABLE'].includes(leadingWords(text, 1)[0] ?? '');
}

/** BEGIN, COMMIT and the like: with --write they are sent as written, so that a script's own transaction is its own. */
export function isTransactionControl(text: string): boolean {
  const [first, second] = leadingWords(text);
  if (first === 'PREPARE') return second === 'TRANSACTION';
  return ['BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'ABORT', 'SAVEPOINT', 'RELEASE'].includes(first ?? '');
}

import { isRedshiftReserved } from '../sql/redshift-reserved-words.js';
import { ident } from '../sql/identifiers.js';
import { blankLiteralsAndComments, scanSql } from './sql-scan.js';

/** A table of the warehouse and its columns, as completion knows them. */
export interface CatalogTable {
  table: string;
  columns: readonly string[];
}

export interface Completion {
  /** How many characters before the cursor the completion replaces: the name typed so far. */
  replace: number;
  /** What replaces them: the one name that matches, or the prefix every match shares. Equal to what was typed when there is nothing to add. */
  text: string;
  /** Every name that matches, sorted, when there is more than one (for a list); empty when one matches. */
  candidates: string[];
}

/** After these words a table is named, not a column. */
const TABLE_CONTEXT = new Set(['from', 'join', 'into', 'update', 'table']);
/** Words that follow a table's name but are not its alias. */
const NOT_AN_ALIAS = new Set(
  'on where join left right inner outer full cross natural group order limit offset union intersect except minus using having and or set values select from window as'.split(
    ' ',
  ),
);

const NAME = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")`;

/** A name as it is typed into SQL: quoted when it is not lower-case letters, digits and _, or is a word either dialect reserves. */
export function sqlName(name: string): string {
  if (!/^[a-z_][a-z0-9_$]*$/.test(name) || isRedshiftReserved(name) || ident(name) !== name) return `"${name.replace(/"/g, '""')}"`;
  return name;
}

/** A name as the catalog knows it: a quoted one unquoted, a bare one as typed (compared in any case). */
function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, name.endsWith('"') && name.length > 1 ? -1 : undefined).replace(/""/g, '"') : name;
}

/** The table a qualifier names: a table of the catalog, or an alias given one in the text (`FROM songplays sp`). */
function tableOf(qualifier: string, text: string, catalog: readonly CatalogTable[]): CatalogTable | undefined {
  const name = unquote(qualifier).toLowerCase();
  const byName = catalog.find((t) => t.table.toLowerCase() === name);
  if (byName) return byName;
  // Each name with the word after it (overlapping: in `FROM songplays sp`, both `FROM songplays` and `songplays sp`).
  const aliases = new RegExp(String.raw`(?<![A-Za-z0-9_$"])(${NAME})(?=\s+(?:as\s+)?(${NAME}))`, 'gi');
  for (const m of blankLiteralsAndComments(text).matchAll(aliases)) {
    const alias = unquote(m[2]!).toLowerCase();
    if (alias !== name || NOT_AN_ALIAS.has(alias)) continue;
    const table = catalog.find((t) => t.table.toLowerCase() === unquote(m[1]!).toLowerCase());
    if (table) return table;
  }
  return undefined;
}

/** The tables the text names (to offer their columns first). */
function tablesNamed(text: string, catalog: readonly CatalogTable[]): CatalogTable[] {
  const words = new Set((blankLiteralsAndComments(text).match(new RegExp(NAME, 'g')) ?? []).map((w) => unquote(w).toLowerCase()));
  return catalog.filter((t) => words.has(t.table.toLowerCase()));
}

function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) {
    let i = 0;
    while (i < prefix.length && i < name.length && prefix[i]!.toLowerCase() === name[i]!.toLowerCase()) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix;
}

/**
 * Completes the table or column name that ends at the cursor, as pgcli
 * does: after `FROM`, `JOIN`, `INTO`, `UPDATE` or `TABLE` a table; after
 * `name.` a column of that table (or of the table an alias stands for);
 * elsewhere a table or a column of the tables the statement names (of
 * every table when it names none). One match is completed whole (quoted
 * where it must be); several, to the prefix they share, and listed.
 * Null inside a string or a comment, or when nothing matches.
 *
 * @param before the text before the cursor
 * @param text the whole text (aliases and tables named after the cursor count too); `before` when not given
 */
export function complete(before: string, catalog: readonly CatalogTable[], text: string = before): Completion | null {
  const open = scanSql(before).open;
  if (open === 'string' || open === 'comment') return null;
  const word = new RegExp(String.raw`(?:(${NAME})\.)?("?[A-Za-z0-9_$]*)$`).exec(before)!;
  const typed = word[2]!;
  // A name that begins with a digit is a number.
  if (/^[0-9]/.test(typed)) return null;
  const prefix = unquote(typed).toLowerCase();
  let names: string[];
  if (word[1] !== undefined) {
    const table = tableOf(word[1], text, catalog);
    if (!table) return null;
    names = [...table.columns];
  } else {
    const previous = /([A-Za-z_]+)\s*$/.exec(blankLiteralsAndComments(before.slice(0, before.length - typed.length)))?.[1]?.toLowerCase();
    const tables = catalog.map((t) => t.table);
    if (previous !== undefined && TABLE_CONTEXT.has(previous)) names = tables;
    else {
      const named = tablesNamed(text, catalog);
      names = [...tables, ...(named.length > 0 ? named : catalog).flatMap((t) => t.columns)];
    }
  }
  const matches = [...new Set(names)].filter((n) => n.toLowerCase().startsWith(prefix)).sort();
  if (matches.length === 0) return null;
  if (matches.length === 1) return { replace: typed.length, text: sqlName(matches[0]!), candidates: [] };
  const shared = commonPrefix(matches);
  const quote = typed.startsWith('"') ? '"' : '';
  return { replace: typed.length, text: shared.length > prefix.length ? quote + shared : typed, candidates: matches };
}

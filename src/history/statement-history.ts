import { readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import { fileProblem } from '../error-message.js';

/** How many statements the history keeps: the latest ones. */
export const HISTORY_LIMIT = 500;

/** The statements run on a warehouse, oldest first, and what went wrong reading or writing them (the history is a convenience: never fatal). */
export interface StatementHistory {
  statements: string[];
  /** One line: the file, and the line that could not be read or why it could not be written; null when all went well. */
  problem: string | null;
}

/**
 * The history's file for the config's warehouse, under `.sparkify/history/`:
 * one per warehouse (engine, host, port and database), so that the
 * statements of one cluster are not offered on another.
 */
export function historyFile(config: Pick<Config, 'stateDir' | 'engine' | 'cluster'>): string {
  const { host, port, database } = config.cluster;
  const where = config.engine === 'embedded' ? ['embedded', database] : [config.engine, host, String(port), database];
  const name = where.join('-').replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(config.stateDir, 'history', `${name}.jsonl`);
}

interface Entry {
  /** When it ran, ISO 8601. */
  at: string;
  sql: string;
}

/** The file's lines, each an entry or, when it cannot be read as one, null (kept as it is, never thrown away). */
function readLines(file: string): { lines: string[]; entries: (Entry | null)[]; problem: string | null } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { lines: [], entries: [], problem: missing ? null : `history ${file}: cannot read it: ${fileProblem(error)}` };
  }
  const lines: string[] = [];
  const entries: (Entry | null)[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    const entry = parseEntry(line);
    if (!entry) badLines.push(i + 1);
    lines.push(line);
    entries.push(entry);
  });
  const [first] = badLines;
  const some = badLines.length === 1 ? 'a line is' : `${badLines.length} lines are`;
  const problem = first === undefined ? null : `history ${file}:${first}: ${some} not a statement sparkify wrote: skipped, and kept in the file`;
  return { lines, entries, problem };
}

function parseEntry(line: string): Entry | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { at, sql } = value as Record<string, unknown>;
    return typeof sql === 'string' && sql.trim() !== '' && typeof at === 'string' ? { at, sql } : null;
  } catch {
    return null;
  }
}

/** The statements of the history file, oldest first; a missing file is an empty history, a bad line is skipped and said. */
export function readHistory(file: string): StatementHistory {
  const { entries, problem } = readLines(file);
  return { statements: entries.flatMap((e) => (e ? [e.sql] : [])), problem };
}

/**
 * Adds a statement that ran (trimmed; not again when it is the latest
 * already), keeping the latest HISTORY_LIMIT lines. The file is read again
 * first, so that two apps on one warehouse both keep theirs, and replaced
 * whole by a rename, so that it is never left half written.
 */
export function appendHistory(file: string, statement: string, now = new Date()): StatementHistory {
  const sql = statement.trim();
  const read = readLines(file);
  const statements = () => read.entries.flatMap((e) => (e ? [e.sql] : []));
  if (sql === '' || statements().at(-1) === sql) return { statements: statements(), problem: read.problem };
  read.lines.push(JSON.stringify({ at: now.toISOString(), sql } satisfies Entry));
  read.entries.push({ at: now.toISOString(), sql });
  // From the oldest of the latest HISTORY_LIMIT statements on (unreadable lines among them kept).
  let drop = read.entries.length;
  for (let kept = 0; drop > 0 && kept < HISTORY_LIMIT;) if (read.entries[--drop]) kept += 1;
  read.lines.splice(0, drop);
  read.entries.splice(0, drop);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, `${read.lines.join('\n')}\n`);
    renameSync(temporary, file);
  } catch (error) {
    removeQuietly(temporary);
    return { statements: statements(), problem: `history ${file}: cannot write it: ${fileProblem(error)}` };
  }
  return { statements: statements(), problem: read.problem };
}

/** Removes a temporary file that may not have been made (its folder may not even be one). */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // nothing was made there
  }
}

import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileProblem } from '../error-message.js';
import { renderCsv, renderJson } from '../format/result-formats.js';
import type { QueryResult } from '../queries/run-query.js';

/** The formats a result is exported to, by the file name's extension. */
export type ExportFormat = 'csv' | 'json';

export function exportFormatOf(file: string): ExportFormat | null {
  const extension = path.extname(file).toLowerCase();
  return extension === '.csv' ? 'csv' : extension === '.json' ? 'json' : null;
}

/** The file name with its extension changed to the other format's (or given one when it has none it knows). */
export function otherFormat(file: string): string {
  const format = exportFormatOf(file);
  const base = format ? file.slice(0, -path.extname(file).length) : file;
  return `${base}.${format === 'csv' ? 'json' : 'csv'}`;
}

/** The file a typed name means: `~/` is the home folder, a relative name is in `cwd`. */
export function exportPath(name: string, cwd = process.cwd(), home = os.homedir()): string {
  const expanded = name === '~' || name.startsWith('~/') ? path.join(home, name.slice(1)) : name;
  return path.resolve(cwd, expanded);
}

export interface Exported {
  /** The file written, absolute. */
  file: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
}

/** Why a result cannot be written to that file, in one line, or null when it can be tried. */
export function exportProblem(file: string): string | null {
  if (path.basename(file) === '' || file.endsWith(path.sep)) return `${file} is a folder: give a file name`;
  if (!exportFormatOf(file)) return `${path.basename(file)}: give the file a .csv or .json name`;
  const folder = path.dirname(file);
  if (!existsSync(folder)) return `cannot write ${file}: the folder ${folder} does not exist`;
  if (existsSync(file) && statSync(file).isDirectory()) return `cannot write ${file}: it is a folder`;
  return null;
}

/**
 * Writes the result to `file` as CSV (RFC 4180, a header row) or JSON (an
 * array of objects), by its extension, as `sparkify query --format` prints
 * it. The text goes to a temporary file beside it, renamed over it at the
 * end: a failed write leaves no half file, and an older file as it was.
 * Throws an Error of one line naming the file and why.
 */
export function writeResult(result: QueryResult, file: string): Exported {
  const problem = exportProblem(file);
  if (problem) throw new Error(problem);
  const format = exportFormatOf(file)!;
  const text = format === 'csv' ? renderCsv(result) : renderJson(result);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    removeQuietly(temporary);
    throw new Error(`cannot write ${file}: ${fileProblem(error)}`, { cause: error });
  }
  return { file, format, rows: result.rows.length, bytes: Buffer.byteLength(text) };
}

/** Removes a temporary file that may not have been made (its folder may not even be one). */
function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // nothing was made there
  }
}

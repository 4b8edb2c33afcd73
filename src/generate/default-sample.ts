import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDataset, type GenerateOptions } from './generate.js';

/** The data the embedded default loads when dwh.cfg names none: a month of a small service. */
export const DEFAULT_SAMPLE: Omit<GenerateOptions, 'out'> = {
  events: 30_000,
  songs: 3_000,
  users: 150,
  days: 30,
  start: Date.UTC(2018, 10, 1),
  seed: 2018,
  matchRate: 0.85,
};

const MARKER = '.complete';

/**
 * Generates the default sample into `dir` unless it is already there, into a
 * scratch folder renamed at the end: an interrupted generation never leaves
 * half a data set. Returns true when it generated.
 */
export function ensureDefaultSample(dir: string): boolean {
  const wanted = JSON.stringify(DEFAULT_SAMPLE);
  const marker = path.join(dir, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return false;
  const scratch = `${dir}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  generateDataset({ ...DEFAULT_SAMPLE, out: scratch });
  writeFileSync(path.join(scratch, MARKER), wanted);
  rmSync(dir, { recursive: true, force: true });
  renameSync(scratch, dir);
  return true;
}

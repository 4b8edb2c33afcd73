import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from './events.js';

/** The last run, kept beside the config so that every command and the app can show it. */
export interface LastRun {
  /** When it ended, ISO 8601. */
  at: string;
  reset: boolean;
  summary: RunSummary;
}

const FILE = 'last-run.json';

export function saveLastRun(stateDir: string, run: LastRun): void {
  try {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, FILE), JSON.stringify(run));
  } catch {
    // Only a convenience: a read-only folder must not fail the run.
  }
}

export function loadLastRun(stateDir: string): LastRun | null {
  try {
    return JSON.parse(readFileSync(path.join(stateDir, FILE), 'utf8')) as LastRun;
  } catch {
    return null;
  }
}

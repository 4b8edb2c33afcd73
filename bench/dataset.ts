import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Generated data sets (git-ignored), made once and reused by every bench. */
export const DATA = path.join(ROOT, 'bench/.data');

/** The folder of the data set with this many events (and a tenth as many songs), generated if missing. */
export function dataset(events: number): string {
  const dir = path.join(DATA, `events-${events}`);
  const marker = path.join(dir, '.complete');
  if (!existsSync(marker)) {
    console.error(`generating ${events.toLocaleString('en-US')} events…`);
    generateDataset({ ...GENERATE_DEFAULTS, out: dir, events, songs: Math.max(100, events / 10), users: Math.max(100, events / 100), seed: 7 });
    writeFileSync(marker, '');
  }
  return dir;
}

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { tempDir } from './temp-dir.js';

/** Writes `text` as dwh.cfg in a new temporary folder; returns the file's path. */
export function configFile(text: string): string {
  const file = path.join(tempDir(), 'dwh.cfg');
  writeFileSync(file, text);
  return file;
}

/** The config sparkify reads when run, with `env`, in a folder whose dwh.cfg is `text`. */
export function loadConfigText(text: string, env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ cwd: path.dirname(configFile(text)), env });
}

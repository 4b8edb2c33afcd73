import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/**
 * A new folder under the system temp dir, open to other users (mkdtemp makes
 * it 0700): as root the embedded server runs as `postgres` and must enter it.
 * Removed after the test file (see cleanup.ts).
 */
export function tempDir(prefix = 'sparkify-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

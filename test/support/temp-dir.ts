import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A new folder under the system temp dir, open to other users (mkdtemp makes
 * it 0700): as root the embedded server runs as `postgres` and must enter it.
 */
export function tempDir(prefix = 'sparkify-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

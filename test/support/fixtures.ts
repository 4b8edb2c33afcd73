import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's own small data set, with the layouts and edge cases the extract must handle. */
export const MINI = fileURLToPath(new URL('../fixtures/mini/', import.meta.url));

/** The real Udacity sample, beside the repository in CI; tests using it skip where it is absent. */
export const UDACITY = path.resolve(fileURLToPath(new URL('../../../shared/fixtures/udacity-sample/', import.meta.url)));
export const HAS_UDACITY = existsSync(path.join(UDACITY, 'log_json_path.json'));

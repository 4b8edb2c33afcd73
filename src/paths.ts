import { fileURLToPath } from 'node:url';

/** The package root, the same from src/ (tsx, vitest) and from dist/. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The sample the embedded default loads when there is no dwh.cfg. */
export const BUNDLED_SAMPLE = fileURLToPath(new URL('../sample/', import.meta.url));

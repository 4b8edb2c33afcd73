import { fileURLToPath } from 'node:url';

/** The package root, the same from src/ (tsx, vitest) and from dist/. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

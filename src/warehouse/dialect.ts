import type { EngineKind } from '../config/types.js';

export type DialectName = 'postgres' | 'redshift';

export function dialectForEngine(engine: EngineKind): DialectName {
  return engine === 'redshift' ? 'redshift' : 'postgres';
}

/** `select version()` of a Redshift cluster names it; PostgreSQL's does not. */
export function dialectFromVersion(version: string): DialectName {
  return /redshift/i.test(version) ? 'redshift' : 'postgres';
}

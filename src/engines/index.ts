import type { Config } from '../config/types.js';
import type { Engine } from './engine.js';
import { postgresEngine } from './postgres/engine.js';
import { redshiftEngine } from './redshift/engine.js';

export type { Engine } from './engine.js';

/** The engine the config names, before connecting (for --dry-run, and to know a Redshift limit early). */
export function engineForConfig(config: Config): Engine {
  return config.engine === 'redshift' ? redshiftEngine(config.redshiftSystemViews) : postgresEngine({ embedded: config.engine === 'embedded' });
}

/** The engine the server says it is: `select version()` of a Redshift cluster names it; PostgreSQL's does not. */
export function engineForServer(config: Config, version: string): Engine {
  return /redshift/i.test(version) ? redshiftEngine(config.redshiftSystemViews) : postgresEngine({ embedded: config.engine === 'embedded' });
}

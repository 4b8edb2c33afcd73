import type { Config } from './types.js';

/** Where the warehouse is, as the app shows it: the embedded server's folder, or a server's host and port. */
export function describeHost(config: Config): string {
  return config.engine === 'embedded' ? `embedded, under ${config.stateDir}` : `${config.cluster.host}:${config.cluster.port}`;
}

/** What the app says while it connects: starting the embedded server takes a moment more. */
export function connectingLabel(config: Config): string {
  return config.engine === 'embedded' ? 'starting the embedded server…' : 'connecting…';
}

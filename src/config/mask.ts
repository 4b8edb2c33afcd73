import type { Config } from './types.js';

export const MASK = '****';

/** Every secret the config holds, longest first so that overlapping ones mask fully. */
export function secretsOf(config: Config): string[] {
  const secrets = [config.cluster.password, config.aws?.secret ?? '', config.aws?.sessionToken ?? ''];
  return secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of a secret in text; for errors that may echo a connection string. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}

/** `user@host:port/database`, the password shown as ****. */
export function describeConnection(config: Config): string {
  const { user, host, port, database, password } = config.cluster;
  const where = config.engine === 'embedded' ? `embedded (${config.stateDir})` : `${host}:${port}`;
  return `${user}${password ? `:${MASK}` : ''}@${where}/${database}`;
}

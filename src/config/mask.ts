import { isOutputWord } from './output-words.js';
import type { Config } from './types.js';

export const MASK = '****';

/**
 * Every secret in play, longest first so that overlapping ones mask fully: the
 * database password and the AWS secret and session token, from dwh.cfg or, as
 * the S3 client takes them when [AWS] is not set, from the environment.
 */
export function secretsOf(config: Config, env: NodeJS.ProcessEnv = process.env, ...more: string[]): string[] {
  const aws = config.aws ? [config.aws.secret, config.aws.sessionToken ?? ''] : [env.AWS_SECRET_ACCESS_KEY ?? '', env.AWS_SESSION_TOKEN ?? ''];
  const secrets = new Set([config.cluster.password, ...aws, ...more].filter((s) => s.length > 0));
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** `user@host:port/database`, the password shown as ****. */
export function describeConnection(config: Config): string {
  const { user, host, port, database, password } = config.cluster;
  const where = config.engine === 'embedded' ? `embedded (${config.stateDir})` : `${host}:${port}`;
  return `${user}${password ? `:${MASK}` : ''}@${where}/${database}`;
}

// A secret's name in a key/value or header echo: password, DB_PASSWORD, PGPASSWORD,
// aws_secret_access_key, secretAccessKey, session_token, X-Amz-Security-Token.
// Not the access key id (Credential=…, a name, not a secret) nor a signature (it reveals nothing).
const SECRET_KEY = String.raw`[\w-]*(?:password|passwd|secret|(?:session|security)[_-]?token)[\w-]*`;
// `key=value`, `key = 'value'`, `"key":"value"`, `key: 'value'`, `key:value`; not
// `key: words` (prose such as "invalid password: the server said…").
const KEY_VALUE = new RegExp(String.raw`(\b${SECRET_KEY}["']?)(\s*=\s*|:\s*(?=["'])|:(?=[^\s"']))("[^"]*"|'[^']*'|[^\s"'&;,)}\]<>]+)`, 'gi');
// The password of a URL's user info: `postgres://user:PASSWORD@host`.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*:)([^\s@/]+)@/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks the secrets in text that comes from outside sparkify: a server's,
 * driver's or SDK's message. By context: a URL's password, the value of a key
 * or header that names a secret, whatever it is; and a known secret standing as
 * a whole token (not inside a longer word) unless it is also a word the output
 * uses as a name (see isOutputWord; `names` are the configuration's, see
 * configuredNames). Sparkify's own text holds no secret (where it shows one, it
 * writes the mask); an error line that quotes outside text is passed through
 * whole, and its own words come out as they went in.
 */
export function maskSecrets(text: string, secrets: readonly string[], names: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (isOutputWord(secret, names)) continue;
    // Where the secret begins or ends with a letter, digit or `_`, a neighbour of
    // those would make it part of a longer word; punctuation is its own edge.
    const before = /^\w/.test(secret) ? '(?<!\\w)' : '';
    const after = /\w$/.test(secret) ? '(?!\\w)' : '';
    out = out.replace(new RegExp(`${before}${escapeRegExp(secret)}${after}`, 'g'), MASK);
  }
  out = out.replace(URL_PASSWORD, `$1${MASK}@`);
  return out.replace(KEY_VALUE, (_, key: string, separator: string, value: string) => {
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
    return `${key}${separator}${quote}${MASK}${quote}`;
  });
}

/**
 * The same for an error on its way to the output: its message, the server's
 * detail and hint, and its stack (printed for unexpected errors) are masked in
 * place, so that its class, code and exit code stay as they are.
 */
export function maskError<E>(error: E, secrets: readonly string[], names: readonly string[] = []): E {
  if (typeof error !== 'object' || error === null) return error;
  const fields = error as Record<string, unknown>;
  for (const field of ['message', 'detail', 'hint', 'stack']) {
    const value = fields[field];
    if (typeof value === 'string') Object.defineProperty(error, field, { value: maskSecrets(value, secrets, names) });
  }
  return error;
}

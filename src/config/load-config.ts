import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CfgSyntaxError, parseCfg, unquote, type CfgSections } from './cfg-file.js';
import { ConfigError } from './config-error.js';
import { parseLocation } from './location.js';
import { ENGINE_KINDS, type Config, type DataLocation, type EngineKind, type RedshiftSystemViews, type SslMode } from './types.js';

const KNOWN_KEYS: Record<string, readonly string[]> = {
  CLUSTER: ['HOST', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_PORT', 'ENGINE', 'SSLMODE', 'CONNECT_TIMEOUT', 'SERVERLESS'],
  IAM_ROLE: ['ARN'],
  S3: ['LOG_DATA', 'LOG_JSONPATH', 'SONG_DATA', 'REGION', 'ENDPOINT'],
  AWS: ['KEY', 'SECRET', 'SESSION_TOKEN'],
};
const SSL_MODES: readonly SslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];
const REDSHIFT_HOST = /\.redshift(-serverless)?\.amazonaws\.com$/i;
const SERVERLESS_HOST = /\.redshift-serverless\.amazonaws\.com$/i;
export const DEFAULT_CONFIG_FILE = 'dwh.cfg';

/** `SPARKIFY_<SECTION>_<KEY>` overrides `[SECTION] KEY`, e.g. SPARKIFY_CLUSTER_DB_PASSWORD. */
export function envOverrideName(section: string, key: string): string {
  return `SPARKIFY_${section}_${key}`;
}

interface Setting {
  value: string;
  /** Names where the value came from, for error messages. */
  origin: string;
}

export interface LoadOptions {
  /** The --config value; when absent, ./dwh.cfg if it exists, else the defaults. */
  configPath?: string | undefined;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.configPath !== undefined;
  const shownName = options.configPath ?? DEFAULT_CONFIG_FILE;
  const filePath = path.resolve(cwd, shownName);

  let sections: CfgSections = new Map();
  let file: string | null = null;
  if (existsSync(filePath)) {
    file = shownName;
    sections = readSections(filePath, shownName);
  } else if (explicit) {
    throw new ConfigError(`${shownName}: no such file (copy dwh.cfg.example to start one)`);
  }
  const baseDir = file ? path.dirname(filePath) : cwd;
  const label = file ?? 'defaults';

  const get = (section: string, key: string): Setting | undefined => {
    const envName = envOverrideName(section, key);
    const fromEnv = env[envName];
    if (fromEnv !== undefined) return { value: fromEnv, origin: envName };
    const entry = sections.get(section)?.get(key);
    if (!entry) return undefined;
    return { value: unquote(entry.value), origin: `${label}: [${section}] ${key}` };
  };
  const text = (section: string, key: string, fallback = ''): string => {
    const setting = get(section, key);
    return setting && setting.value !== '' ? setting.value : fallback;
  };
  const fail = (setting: Setting, problem: string): never => {
    throw new ConfigError(`${setting.origin} ${problem}`);
  };

  const host = text('CLUSTER', 'HOST');
  const serverless = readBoolean(get('CLUSTER', 'SERVERLESS'), fail);
  const engine = readEngine(get('CLUSTER', 'ENGINE'), host, serverless, fail);
  if (engine !== 'embedded' && host === '') {
    throw new ConfigError(`${label}: [CLUSTER] HOST is required for ENGINE = ${engine}`);
  }
  const port = readInteger(get('CLUSTER', 'DB_PORT'), engine === 'redshift' ? 5439 : 5432, 1, 65535, 'a port number', fail);
  const sslSetting = get('CLUSTER', 'SSLMODE');
  const sslmode = (sslSetting?.value || (engine === 'redshift' ? 'require' : 'disable')) as SslMode;
  if (sslSetting && sslSetting.value !== '' && !SSL_MODES.includes(sslmode)) {
    fail(sslSetting, `must be one of ${SSL_MODES.join(', ')}, got "${sslSetting.value}"`);
  }
  const connectTimeoutSeconds = readInteger(get('CLUSTER', 'CONNECT_TIMEOUT'), 10, 1, 3600, 'a number of seconds', fail);

  const stateDir = path.join(baseDir, '.sparkify');
  const sampleDir = path.join(stateDir, 'sample');
  let usesSample = false;
  const location = (key: string, fallback: string): DataLocation => {
    const setting = get('S3', key);
    if (!setting || setting.value === '') {
      usesSample = true;
      return { kind: 'file', uri: fallback, path: fallback };
    }
    const parsed = parseLocation(setting.value, baseDir);
    return typeof parsed === 'string' ? fail(setting, parsed) : parsed;
  };
  const s3 = {
    logData: location('LOG_DATA', path.join(sampleDir, 'log_data')),
    logJsonPath: location('LOG_JSONPATH', path.join(sampleDir, 'log_json_path.json')),
    songData: location('SONG_DATA', path.join(sampleDir, 'song_data')),
    region: text('S3', 'REGION', 'us-west-2'),
    endpoint: text('S3', 'ENDPOINT') || null,
  };
  const endpoint = get('S3', 'ENDPOINT');
  if (endpoint && endpoint.value !== '' && !/^https?:\/\/[^\s/]+/i.test(endpoint.value)) {
    fail(endpoint, `must be an http:// or https:// URL, got "${endpoint.value}"`);
  }
  const iamRole = text('IAM_ROLE', 'ARN');
  if (engine === 'redshift') {
    for (const [key, loc] of [
      ['LOG_DATA', s3.logData],
      ['LOG_JSONPATH', s3.logJsonPath],
      ['SONG_DATA', s3.songData],
    ] as const) {
      if (loc.kind !== 's3') throw new ConfigError(`${label}: [S3] ${key} must be an s3:// URI for Redshift, got "${loc.uri}"`);
    }
    if (iamRole === '') throw new ConfigError(`${label}: [IAM_ROLE] ARN is required for Redshift (the role the cluster uses to read S3)`);
  }

  const key = text('AWS', 'KEY');
  const secret = text('AWS', 'SECRET');
  if ((key === '') !== (secret === '')) {
    throw new ConfigError(`${label}: [AWS] KEY and SECRET must be given together`);
  }

  return {
    file,
    engine,
    redshiftSystemViews: redshiftSystemViews(host, serverless),
    cluster: {
      host: engine === 'embedded' ? '127.0.0.1' : host,
      port,
      database: text('CLUSTER', 'DB_NAME', engine === 'redshift' ? 'dev' : 'sparkify'),
      user: text('CLUSTER', 'DB_USER', engine === 'embedded' ? 'sparkify' : 'postgres'),
      password: get('CLUSTER', 'DB_PASSWORD')?.value ?? '',
      sslmode: engine === 'embedded' ? 'disable' : sslmode,
      connectTimeoutSeconds,
    },
    iamRole,
    s3,
    aws: key ? { key, secret, sessionToken: text('AWS', 'SESSION_TOKEN') || null } : null,
    stateDir,
    defaultSample: usesSample ? sampleDir : null,
  };
}

function readSections(filePath: string, shownName: string): CfgSections {
  let sections: CfgSections;
  try {
    sections = parseCfg(readFileSync(filePath, 'utf8'));
  } catch (error) {
    if (error instanceof CfgSyntaxError) throw new ConfigError(`${shownName}: ${error.message}`);
    throw new ConfigError(`${shownName}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  for (const [section, entries] of sections) {
    const known = KNOWN_KEYS[section];
    if (!known) continue; // other sections (e.g. the IaC notebook's [DWH]) are not ours
    for (const [key, entry] of entries) {
      if (!known.includes(key)) {
        throw new ConfigError(`${shownName}: line ${entry.line}: unknown key ${key} in [${section}] (known: ${known.join(', ')})`);
      }
    }
  }
  return sections;
}

interface Flag {
  value: boolean;
  setting: Setting;
}

/** true/false, and configparser's other spellings of them (yes/no, on/off, 1/0); absent or empty: null. */
function readBoolean(setting: Setting | undefined, fail: (s: Setting, p: string) => never): Flag | null {
  if (!setting || setting.value === '') return null;
  const value = setting.value.toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(value)) return { value: true, setting };
  if (['false', 'no', 'off', '0'].includes(value)) return { value: false, setting };
  return fail(setting, `must be true or false, got "${setting.value}"`);
}

/** Serverless where SERVERLESS says so, else where the host is a Serverless endpoint. */
function redshiftSystemViews(host: string, serverless: Flag | null): RedshiftSystemViews {
  return (serverless?.value ?? SERVERLESS_HOST.test(host)) ? 'serverless' : 'provisioned';
}

function readEngine(setting: Setting | undefined, host: string, serverless: Flag | null, fail: (s: Setting, p: string) => never): EngineKind {
  if (setting && setting.value !== '') {
    const value = setting.value.toLowerCase() as EngineKind;
    if (!ENGINE_KINDS.includes(value)) fail(setting, `must be one of ${ENGINE_KINDS.join(', ')}, got "${setting.value}"`);
    if (serverless?.value && value !== 'redshift') fail(serverless.setting, `= ${serverless.setting.value} is for Redshift Serverless, but ENGINE is ${value}`);
    return value;
  }
  // A Serverless workgroup behind a custom domain name or endpoint is still Redshift.
  if (serverless?.value) return 'redshift';
  if (host === '') return 'embedded';
  return REDSHIFT_HOST.test(host) ? 'redshift' : 'postgres';
}

function readInteger(setting: Setting | undefined, fallback: number, min: number, max: number, what: string, fail: (s: Setting, p: string) => never): number {
  if (!setting || setting.value === '') return fallback;
  const n = /^\d+$/.test(setting.value) ? Number(setting.value) : NaN;
  if (!(n >= min && n <= max)) fail(setting, `must be ${what}, got "${setting.value}"`);
  return n;
}

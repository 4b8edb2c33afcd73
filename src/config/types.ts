export type EngineKind = 'embedded' | 'postgres' | 'redshift';

export const ENGINE_KINDS: readonly EngineKind[] = ['embedded', 'postgres', 'redshift'];

/** Where a data set lives: a local file or folder, or an S3 object or prefix. */
export type DataLocation = { kind: 'file'; uri: string; path: string } | { kind: 's3'; uri: string; bucket: string; key: string };

/**
 * Which system views a Redshift warehouse has: a provisioned cluster has the
 * STL/STV/SVL tables; Redshift Serverless has only the SYS monitoring views.
 */
export type RedshiftSystemViews = 'provisioned' | 'serverless';

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export interface ClusterSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: SslMode;
  connectTimeoutSeconds: number;
}

export interface S3Settings {
  logData: DataLocation;
  logJsonPath: DataLocation;
  songData: DataLocation;
  region: string;
  endpoint: string | null;
}

export interface AwsCredentials {
  key: string;
  secret: string;
  sessionToken: string | null;
}

export interface Config {
  /** The config file as the user named it, or null when running on the defaults. */
  file: string | null;
  engine: EngineKind;
  cluster: ClusterSettings;
  /** On Redshift, the system views its SQL reads (the live sessions, the rows a COPY left out). */
  redshiftSystemViews: RedshiftSystemViews;
  iamRole: string;
  s3: S3Settings;
  aws: AwsCredentials | null;
  /** `.sparkify/` beside the config file: the embedded cluster and cached data. */
  stateDir: string;
  /** Where the generated default sample lives when dwh.cfg names no data; null otherwise. */
  defaultSample: string | null;
}

/** A problem with dwh.cfg or the environment: exit code 2, one line, no stack. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  override name = 'ConfigError';
}

import { EXIT, SparkifyError } from '../sparkify-error.js';

/** A problem with dwh.cfg or the environment: exit code 2, one line, no stack. */
export class ConfigError extends SparkifyError {
  readonly exitCode = EXIT.usage;
  override name = 'ConfigError';
}

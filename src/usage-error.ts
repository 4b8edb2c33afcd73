import { EXIT, SparkifyError } from './sparkify-error.js';

/**
 * Wrong arguments or options: exit code 2. Below the commands, so that a
 * layer that checks an option again (the Redshift COPY's MAXERROR limit,
 * whoever asks for it) fails the same way the command line does.
 */
export class UsageError extends SparkifyError {
  readonly exitCode = EXIT.usage;
  override name = 'UsageError';
}

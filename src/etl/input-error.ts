import { EXIT, SparkifyError } from '../sparkify-error.js';

/** Bad source data: names the file, the line and the reason; exit code 1. */
export class InputError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'InputError';
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${reason}`);
  }
}

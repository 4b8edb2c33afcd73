import { EXIT, SparkifyError } from '../sparkify-error.js';
import type { Rejection } from './file-rows.js';

/** The raw text kept of a rejected row, as Redshift's stl_load_errors keeps 1,024 characters. */
const RAW_KEPT = 1024;

/** More bad rows than --max-errors leaves out: exit code 1. */
export class TooManyErrorsError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'TooManyErrorsError';
}

/** The rows a load leaves out (--max-errors): up to `max`; one more fails the load, naming the first and that one. */
export class Rejections {
  readonly rows: Rejection[] = [];

  constructor(private readonly max: number) {}

  add(rejection: Rejection): void {
    if (this.rows.length >= this.max) {
      const first = this.rows[0]!;
      throw new TooManyErrorsError(
        `more than ${this.max.toLocaleString('en-US')} bad row${this.max === 1 ? '' : 's'} (--max-errors); ` +
          `the first: ${first.file}:${first.line}: ${first.reason}; this one: ${rejection.file}:${rejection.line}: ${rejection.reason}`,
      );
    }
    this.rows.push({ ...rejection, raw: rejection.raw.length > RAW_KEPT ? rejection.raw.slice(0, RAW_KEPT) : rejection.raw });
  }
}

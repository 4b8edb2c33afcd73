import { ConfigError } from '../config/config-error.js';
import { ChecksFailedError } from '../etl/checks.js';
import { InputError } from '../etl/input-error.js';
import { messageOf } from '../etl/error-message.js';
import { EXIT } from '../sparkify-error.js';

/** Any error as one line and an exit code; no stack traces for expected failures. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  const withCode = error as { exitCode?: number; code?: string; message?: string };
  if (error instanceof ConfigError || error instanceof InputError || error instanceof ChecksFailedError) {
    return { message: error.message, exitCode: withCode.exitCode ?? EXIT.failure };
  }
  if (typeof withCode.exitCode === 'number') return { message: withCode.message ?? String(error), exitCode: withCode.exitCode };
  if (error instanceof Error && typeof withCode.code === 'string') return { message: messageOf(error), exitCode: EXIT.failure };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error), exitCode: EXIT.failure };
}

import { messageOf } from '../error-message.js';
import { EXIT, SparkifyError, type ExitCode } from '../sparkify-error.js';

/**
 * Any error as one line and an exit code. Sparkify's own say both; an error
 * of the server or the system (it has a code) is its message with the
 * server's detail; anything else is unexpected, and its stack is printed.
 */
export function describeFailure(error: unknown): { message: string; exitCode: ExitCode } {
  if (error instanceof SparkifyError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') return { message: messageOf(error), exitCode: EXIT.failure };
  return { message: error instanceof Error ? (error.stack ?? error.message) : String(error), exitCode: EXIT.failure };
}

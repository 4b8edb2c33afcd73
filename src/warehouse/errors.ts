import { EXIT, SparkifyError } from '../sparkify-error.js';

/** The warehouse could not be reached or refused us: exit code 1, one line with a hint. */
export class ConnectionError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'ConnectionError';
}

/** The run was cancelled (Esc, Ctrl-C, SIGTERM): exit code 130. */
export class CancelledError extends SparkifyError {
  readonly exitCode = EXIT.interrupted;
  override name = 'CancelledError';
  /** The statement went on after the cancel, and its session had to be ended: the message says so. */
  constructor(
    message = 'cancelled',
    readonly sessionEnded = false,
  ) {
    super(message);
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
}

/** One line saying why a connection failed and what to check. */
export function describeConnectError(error: unknown, where: string, user: string, database: string, timeoutSeconds: number): string {
  const { code, message = String(error) } = (error ?? {}) as PgLikeError;
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${where}: connection refused (is the server running and is [CLUSTER] DB_PORT right?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot connect to ${where}: host not found (check [CLUSTER] HOST)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot connect to ${where}: host unreachable (check [CLUSTER] HOST, the network and the security group)`;
    case '28P01':
    case '28000':
      return `cannot connect to ${where}: authentication failed for user "${user}" (check [CLUSTER] DB_USER and DB_PASSWORD)`;
    case '3D000':
      return `cannot connect to ${where}: database "${database}" does not exist (check [CLUSTER] DB_NAME)`;
    default:
    // Other errors are told apart by their message.
  }
  if (/timeout/i.test(message))
    return `cannot connect to ${where}: no answer within ${timeoutSeconds}s (check [CLUSTER] HOST and DB_PORT, or raise CONNECT_TIMEOUT)`;
  if (/SSL/i.test(message)) return `cannot connect to ${where}: ${message} (check [CLUSTER] SSLMODE)`;
  return `cannot connect to ${where}: ${message}`;
}

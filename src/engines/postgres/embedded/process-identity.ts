import { existsSync, readFileSync } from 'node:fs';

/**
 * A process named so that it cannot be mistaken for a later one: `PID-START`,
 * START being when it started (clock ticks since boot, field 22 of
 * /proc/PID/stat). A pid reused by another process after this one ended has
 * another START, so a killed sparkify's pid taken over by anything else does
 * not pass for it. Without /proc (macOS), START is `?` and only the pid is
 * checked.
 */
export type ProcessIdentity = string;

/** Whether processes can be read in /proc (Linux), where a zombie is seen as one (it has ended). */
export const HAS_PROC = existsSync('/proc/self/stat');

/** When the process started, `?` where that cannot be known, or null if it is not running (a zombie has ended). */
function startOf(pid: number): string | null {
  if (!HAS_PROC) {
    try {
      process.kill(pid, 0);
      return '?';
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? '?' : null;
    }
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2, the command name, is in parentheses and may contain spaces; field 3 is the state.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19] ?? '?';
}

/** The identity of a running process, or null if it is not running. */
export function identify(pid: number): ProcessIdentity | null {
  const start = startOf(pid);
  return start === null ? null : `${pid}-${start}`;
}

export const THIS_PROCESS: ProcessIdentity = identify(process.pid)!;

/** Whether the process so named still runs (not: another process now has its pid). */
export function isRunning(identity: ProcessIdentity): boolean {
  const [pid, start] = identity.split('-');
  const now = startOf(Number(pid));
  return now !== null && (now === start || now === '?' || start === '?');
}

/** Whether this pid is a running process (a zombie is not). */
export function pidRuns(pid: number): boolean {
  return pid > 0 && startOf(pid) !== null;
}

import { execFileSync } from 'node:child_process';
import { waitFor } from './poll.js';

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A tmux server of its own (its own socket), with windows to type into and read. */
export function tmuxServer(socket: string) {
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = (target: string) => tmux('capture-pane', '-p', '-t', target);
  const alive = (target: string) => {
    try {
      tmux('has-session', '-t', target);
      return true;
    } catch {
      return false;
    }
  };
  return {
    /** Opens a session running `command` in a terminal of 120×40, or the size given. */
    open(target: string, command: string, size: [columns: number, rows: number] = [120, 40]) {
      tmux('new-session', '-d', '-s', target, '-x', String(size[0]), '-y', String(size[1]), command);
    },
    keys(target: string, ...keys: string[]) {
      tmux('send-keys', '-t', target, ...keys);
    },
    screen,
    async waitFor(target: string, ready: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
      const seen = await waitFor(
        () => (alive(target) ? screen(target) : null),
        (now) => now !== null && ready(now),
        what,
        { timeoutMs, intervalMs: 50, shown: (now) => `screen:\n${now ?? '(closed)'}` },
      );
      return seen!;
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}

import { execFileSync } from 'node:child_process';

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
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = alive(target) ? screen(target) : null;
        if (now !== null && ready(now)) return now;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${now ?? '(closed)'}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
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

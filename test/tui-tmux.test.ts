import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MINI } from './support/fixtures.js';
import { writeTestConfig } from './support/warehouse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOCKET = `sparkify-test-${process.pid}`;

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'app');
const alive = () => {
  try {
    tmux('has-session', '-t', 'app');
    return true;
  } catch {
    return false;
  }
};

async function waitFor(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${alive() ? screen() : '(closed)'}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The app in a real terminal: tmux gives it a pty, keys and a screen to read.
// CI=true (as CI sets it) would make sparkify refuse to open the app, so it is unset there.
describe.runIf(hasTmux())('the app in a real terminal (tmux)', () => {
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  });

  it('starts, reloads with R, shows a query, and quits with q, restoring the terminal', async () => {
    const { file } = await writeTestConfig(MINI);
    tmux('new-session', '-d', '-s', 'app', '-x', '120', '-y', '40', `cd ${ROOT} && env -u CI node dist/cli.js --config ${file}; echo "exited $?"; sleep 30`);
    await waitFor(() => screen().includes('● connected'), 'the connection');
    expect(screen()).toMatch(/sparkify +1 Home +2 Schema +3 ETL +4 Queries/);

    tmux('send-keys', '-t', 'app', 'R');
    await waitFor(() => screen().includes('Completed 8 of 8 stages'), 'the reload');
    expect(screen()).toMatch(/✓ +3 songplays +done +8 rows/);

    tmux('send-keys', '-t', 'app', '4');
    await waitFor(() => screen().includes('▸ Top songs'), 'the queries screen');
    tmux('send-keys', '-t', 'app', 'Enter');
    await waitFor(() => /│ Lonely +│ Cé Solo +│ +2 │/.test(screen()), 'the result table');

    tmux('send-keys', '-t', 'app', 'q');
    await waitFor(() => screen().includes('exited 0'), 'the exit');
    // Back to a normal shell screen: the app's frame is not left half drawn over it.
    expect(screen()).not.toContain('1-4/tab screens');
  });
});

import type { render } from 'ink-testing-library';
import { waitFor } from './poll.js';

type Rendered = ReturnType<typeof render>;

export const KEY = {
  escape: '\u001b',
  enter: '\r',
  backspace: '\u007f',
  down: '\u001b[B',
  up: '\u001b[A',
  right: '\u001b[C',
  left: '\u001b[D',
  tab: '\t',
  ctrlC: '\u0003',
  pageDown: '\u001b[6~',
};

/** Lets effects run (Ink attaches its stdin listener in one) before and after a key. */
export const tick = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));

/** Polls the last frame until it satisfies `ready`; fails with the frame it last saw. */
export function waitForFrame(app: Rendered, ready: (frame: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return waitFor(() => app.lastFrame() ?? '', ready, 'the screen', { timeoutMs, intervalMs: 15, shown: (frame) => `last frame:\n${frame}` });
}

export async function press(app: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await tick();
  }
}

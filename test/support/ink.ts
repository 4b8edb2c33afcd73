import type { render } from 'ink-testing-library';

type Rendered = ReturnType<typeof render>;

export const KEY = { escape: '\u001b', enter: '\r', backspace: '\u007f', down: '\u001b[B', up: '\u001b[A', tab: '\t', ctrlC: '\u0003', pageDown: '\u001b[6~' };

/** Lets effects run (Ink attaches its stdin listener in one) before and after a key. */
export const tick = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));

/** Polls the last frame until it satisfies `ready`; fails with the frame it last saw. */
export async function waitForFrame(app: Rendered, ready: (frame: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (ready(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the screen; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

export async function press(app: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await tick();
  }
}

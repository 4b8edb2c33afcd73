import { render } from 'ink';
import { App } from './app.js';
import type { CommandIO } from './commands/io.js';

/** Renders the app until it quits. Loaded only when the app opens, so headless commands never load Ink or React. */
export async function openApp(configPath: string | undefined, io: CommandIO): Promise<void> {
  // Ctrl-C is the app's to handle: the first cancels a run, the second quits.
  const instance = render(<App configOptions={{ configPath, cwd: io.cwd, env: io.env }} signal={io.signal} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
}

#!/usr/bin/env node
import type { CommandIO } from './commands/io.js';
import { EXIT } from './sparkify-error.js';
import { main } from './commands/main.js';

/** First Ctrl-C (or SIGTERM, or the terminal closing) cancels the run, which rolls back; a second quits at once. */
function cancelOnSignals(controller: AbortController): void {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling (press Ctrl-C again to quit at once)\n`);
      controller.abort();
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

// For `npm run bench`: the peak memory of this process, reported as it exits.
if (process.env.SPARKIFY_REPORT_RSS) {
  process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
}

const controller = new AbortController();
cancelOnSignals(controller);
const io: CommandIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
};
const code = await main(process.argv.slice(2), io);
process.exitCode = controller.signal.aborted && code === EXIT.ok ? EXIT.interrupted : code;

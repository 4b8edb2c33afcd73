import { describeFailure } from './describe-failure.js';
import { etlCommand, reloadCommand } from './etl-command.js';
import { generateCommand } from './generate-command.js';
import { MAIN_HELP } from './help.js';
import type { CommandIO } from './io.js';
import { EXIT } from '../sparkify-error.js';
import { parseCommandArgs } from './parse.js';
import { queryCommand } from './query-command.js';
import { resetCommand } from './reset-command.js';
import { sqlCommand } from './sql-command.js';
import { statusCommand } from './status-command.js';
import { PACKAGE_VERSION } from '../version.js';

type Command = (args: string[], io: CommandIO) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  reset: resetCommand,
  etl: etlCommand,
  reload: reloadCommand,
  status: statusCommand,
  query: queryCommand,
  sql: sqlCommand,
  generate: generateCommand,
};

async function openApp(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs('', args, {});
  // React's development build is several times slower; it is not the default.
  process.env.NODE_ENV ??= 'production';
  const { openApp: run } = await import('../open-app.js');
  await run(values.config, io);
  return EXIT.ok;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${PACKAGE_VERSION}\n`);
    return EXIT.ok;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${MAIN_HELP}\n`);
    return EXIT.ok;
  }
  try {
    if (first === undefined || first.startsWith('-')) {
      const interactive = io.stdin.isTTY && (io.stdout as { isTTY?: boolean }).isTTY && !io.env.CI;
      if (!interactive) {
        io.stderr.write(`${MAIN_HELP}\n\nsparkify: no command given and no terminal for the interactive app\n`);
        return EXIT.usage;
      }
      return await openApp(argv, io);
    }
    const command = COMMANDS[first];
    if (!command) {
      io.stderr.write(`sparkify: unknown command "${first}" (commands: ${Object.keys(COMMANDS).join(', ')}; see sparkify --help)\n`);
      return EXIT.usage;
    }
    return await command(rest, io);
  } catch (error) {
    const { message, exitCode } = describeFailure(error);
    // Usage errors already start with the command they are about ("sparkify etl: …").
    io.stderr.write(message.startsWith('sparkify ') ? `${message}\n` : `sparkify: ${message}\n`);
    return exitCode;
  }
}

import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config/load-config.js';
import { describeConnection } from '../config/mask.js';
import { planReset, resetSchema } from '../etl/runner.js';
import { printPlan } from './dry-run.js';
import { formatDuration } from '../format/numbers.js';
import { TABLES } from '../sql/schema.js';
import type { CommandIO } from './io.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../sparkify-error.js';
import { parseCommandArgs } from './parse.js';
import { withWarehouse } from './with-warehouse.js';

export const RESET_HELP = `Usage: sparkify reset [--yes] [--config PATH]

Drops and recreates every table (${TABLES.map((t) => t.name).join(', ')}).
Asks first on a terminal; elsewhere --yes is required.

Options:
  -y, --yes       do not ask
  --dry-run       print the SQL it would run, in order, without connecting
  --config PATH   the dwh.cfg to use (default ./dwh.cfg)
  -h, --help      show this help`;

export async function resetCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs('reset', args, { yes: { type: 'boolean', short: 'y' }, 'dry-run': { type: 'boolean' } });
  if (values.help) {
    io.stdout.write(`${RESET_HELP}\n`);
    return EXIT.ok;
  }
  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  const names = TABLES.map((t) => t.name).join(', ');
  if (values['dry-run']) {
    printPlan(io, config, 'reset', (dialect) => planReset(dialect, config));
    return EXIT.ok;
  }
  if (!values.yes) {
    if (!io.stdin.isTTY) throw new UsageError('sparkify reset: drops every table; pass --yes to confirm (there is no terminal to ask on)');
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const answer = await rl.question(`Drop and recreate ${names} on ${describeConnection(config)}? [y/N] `);
    rl.close();
    if (answer.trim().toLowerCase() !== 'y') {
      io.stderr.write('Reset cancelled; nothing was changed.\n');
      return EXIT.ok;
    }
  }
  const started = performance.now();
  const count = await withWarehouse(config, (wh) => resetSchema(wh, io.signal));
  io.stderr.write(`Reset: dropped and created ${count} tables in ${formatDuration(performance.now() - started)}\n`);
  return EXIT.ok;
}

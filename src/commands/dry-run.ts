import { describeConnection, maskSecrets, secretsOf } from '../config/mask.js';
import type { Config } from '../config/types.js';
import { dialectForEngine } from '../warehouse/dialect.js';
import type { CommandIO } from './io.js';

/** Prints the statements a command would send, as a SQL script, secrets masked; connects to nothing. */
export function printPlan(io: CommandIO, config: Config, command: string, plan: (dialect: ReturnType<typeof dialectForEngine>) => string[]): void {
  const dialect = dialectForEngine(config.engine);
  const statements = plan(dialect);
  const header = `-- sparkify ${command} --dry-run: ${config.engine} (${dialect} dialect), ${describeConnection(config)}\n-- ${statements.length} statements, in order; nothing was run.\n\n`;
  io.stdout.write(maskSecrets(header + statements.map((sql) => `${sql};\n`).join('\n'), secretsOf(config)));
}

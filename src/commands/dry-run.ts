import { describeConnection } from '../config/mask.js';
import type { Config } from '../config/types.js';
import { engineForConfig, type Engine } from '../engines/index.js';
import type { CommandIO } from './io.js';

/**
 * Prints the statements a command would send, as a SQL script; `plan`
 * connects to nothing (an incremental run's plan, made before, read
 * load_history and listed the sources: `whatRan` says so). No secret enters the SQL (the password goes only to the login, the
 * AWS credentials only to the S3 client), and the header masks the password,
 * so the text is printed as it is: a password that is also a table or engine
 * name must not turn `INSERT INTO songplays` into `INSERT INTO ****`.
 */
export function printPlan(io: CommandIO, config: Config, command: string, plan: (engine: Engine) => string[], whatRan = 'nothing was run'): void {
  const engine = engineForConfig(config);
  const statements = plan(engine);
  const header = `-- sparkify ${command} --dry-run: ${config.engine} (${engine.description}), ${describeConnection(config)}\n-- ${statements.length} statements, in order; ${whatRan}.\n\n`;
  io.stdout.write(header + statements.map((sql) => `${sql};\n`).join('\n'));
}

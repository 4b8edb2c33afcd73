import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { STAGE_NAMES, isStageName, type RunSummary, type StageName } from '../etl/events.js';
import { planPipeline, runPipeline } from '../etl/runner.js';
import { printPlan } from './dry-run.js';
import type { CommandIO } from './io.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../sparkify-error.js';
import { parseCommandArgs, parseMaxErrors } from './parse.js';
import { createRunReporter } from './run-report.js';
import { withWarehouse } from './with-warehouse.js';
import { engineForConfig } from '../engines/index.js';

/** PostgreSQL takes any --max-errors; Redshift's COPY has a limit, checked before connecting. */
function checkMaxErrors(command: string, maxErrors: number, config: Config): void {
  const problem = engineForConfig(config).maxErrorsProblem(maxErrors);
  if (problem) throw new UsageError(`sparkify ${command}: ${problem}`);
}

const MAX_ERRORS_HELP = `  --max-errors N  leave out up to N bad rows per staging table, recorded in
                  load_errors (file, line, reason, text); one more fails the
                  run. Default 0: the first bad row fails it. Redshift's
                  COPY takes at most 100,000`;

export const ETL_HELP = `Usage: sparkify etl [--stage NAME]... [--max-errors N] [--config PATH]

Runs the pipeline: extract the logs and songs into staging, build the star
tables, check them. The run is one transaction: if a stage fails or you press
Ctrl-C, nothing changes.

Options:
  --dry-run       print the SQL it would run, in order, without connecting
  --stage NAME    run only this stage (repeatable), one of:
                  ${STAGE_NAMES.join(', ')}
${MAX_ERRORS_HELP}
  --config PATH   the dwh.cfg to use (default ./dwh.cfg)
  -h, --help      show this help`;

export const RELOAD_HELP = `Usage: sparkify reload [--max-errors N] [--config PATH]

Drops and recreates every table, then runs the whole pipeline, all in one
transaction: a failed or cancelled reload leaves the previous warehouse as it was.

Options:
  --dry-run       print the SQL it would run, in order, without connecting
${MAX_ERRORS_HELP}
  --config PATH   the dwh.cfg to use (default ./dwh.cfg)
  -h, --help      show this help`;

function exitCodeOf(summary: RunSummary): number {
  if (summary.status === 'passed') return EXIT.ok;
  return summary.status === 'cancelled' ? EXIT.interrupted : EXIT.failure;
}

export async function etlCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs('etl', args, {
    stage: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    'max-errors': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${ETL_HELP}\n`);
    return EXIT.ok;
  }
  const stages: StageName[] = [];
  for (const name of values.stage ?? []) {
    if (!isStageName(name)) throw new UsageError(`sparkify etl: unknown stage "${name}" (stages: ${STAGE_NAMES.join(', ')})`);
    stages.push(name);
  }
  const maxErrors = parseMaxErrors('etl', values['max-errors']);
  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  checkMaxErrors('etl', maxErrors, config);
  const selection = stages.length > 0 ? stages : undefined;
  if (values['dry-run']) {
    printPlan(io, config, 'etl', (dialect) => planPipeline(dialect, config, { stages: selection, maxErrors }));
    return EXIT.ok;
  }
  const summary = await withWarehouse(config, (wh) =>
    runPipeline(wh, { stages: selection, maxErrors, signal: io.signal, onEvent: createRunReporter(io.stderr) }),
  );
  return exitCodeOf(summary);
}

export async function reloadCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs('reload', args, { 'dry-run': { type: 'boolean' }, 'max-errors': { type: 'string' } });
  if (values.help) {
    io.stdout.write(`${RELOAD_HELP}\n`);
    return EXIT.ok;
  }
  const maxErrors = parseMaxErrors('reload', values['max-errors']);
  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  checkMaxErrors('reload', maxErrors, config);
  if (values['dry-run']) {
    printPlan(io, config, 'reload', (dialect) => planPipeline(dialect, config, { reset: true, maxErrors }));
    return EXIT.ok;
  }
  const summary = await withWarehouse(config, (wh) => runPipeline(wh, { reset: true, maxErrors, signal: io.signal, onEvent: createRunReporter(io.stderr) }));
  return exitCodeOf(summary);
}

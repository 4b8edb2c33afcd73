import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { STAGE_NAMES, isStageName, type RunSummary, type StageName } from '../etl/events.js';
import { planPipeline, planRun, printedPlan, runPipeline } from '../etl/runner.js';
import { fileChanges, findChanges } from '../etl/incremental/find-changes.js';
import { fileChangesLine } from '../format/file-changes.js';
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
       sparkify etl --incremental [--prune] [--max-errors N] [--config PATH]

Runs the pipeline: extract the logs and songs into staging, build the star
tables, check them. The run is one transaction: if a stage fails or you press
Ctrl-C, nothing changes.

Options:
  --dry-run       print the SQL it would run, in order, without running it
                  (with --incremental it connects, to list what is new)
  --stage NAME    run only this stage (repeatable), one of:
                  ${STAGE_NAMES.join(', ')}
  --incremental   load only the files not loaded before (load_history), and
                  those changed since (their earlier rows replaced), then bring
                  the star tables up to date: the same tables a reload of the
                  same files gives
  --prune         with --incremental: remove the rows of loaded files that are
                  gone from the source (by default they stay, and are reported)
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
    incremental: { type: 'boolean' },
    prune: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(`${ETL_HELP}\n`);
    return EXIT.ok;
  }
  if (values.incremental && values.stage) throw new UsageError('sparkify etl: --incremental runs the stages its changes call for; it takes no --stage');
  if (values.prune && !values.incremental) throw new UsageError('sparkify etl: --prune goes with --incremental');
  const stages: StageName[] = [];
  for (const name of values.stage ?? []) {
    if (!isStageName(name)) throw new UsageError(`sparkify etl: unknown stage "${name}" (stages: ${STAGE_NAMES.join(', ')})`);
    stages.push(name);
  }
  const maxErrors = parseMaxErrors('etl', values['max-errors']);
  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  checkMaxErrors('etl', maxErrors, config);
  const selection = stages.length > 0 ? stages : undefined;
  if (values.incremental) return incrementalRun(config, { prune: values.prune ?? false, maxErrors, dryRun: values['dry-run'] ?? false }, io);
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

/** `etl --incremental`: the run, or (--dry-run) its plan, which needs the warehouse's load_history and the sources' listings. */
async function incrementalRun(
  config: Config,
  { prune, maxErrors, dryRun }: { prune: boolean; maxErrors: number; dryRun: boolean },
  io: CommandIO,
): Promise<number> {
  if (dryRun) {
    const plan = await withWarehouse(config, async (wh) => {
      const found = await findChanges(wh, config, prune, new Date(), io.signal);
      return { printed: printedPlan(planRun(wh.engine, config, { incremental: found, maxErrors })), changes: fileChanges(found.deltas) };
    });
    for (const c of plan.changes) io.stderr.write(`${fileChangesLine(c)}\n`);
    printPlan(io, config, 'etl --incremental', () => plan.printed, 'load_digests and load_history were read and the sources listed; nothing else was run');
    return EXIT.ok;
  }
  const summary = await withWarehouse(config, (wh) =>
    runPipeline(wh, { incremental: { prune }, maxErrors, signal: io.signal, onEvent: createRunReporter(io.stderr) }),
  );
  return exitCodeOf(summary);
}

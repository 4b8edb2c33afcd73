import type { Warehouse } from '../warehouse/connection.js';
import { CancelledError } from '../warehouse/errors.js';
import type { CopyProgress } from './copy-into-staging.js';
import { messageOf } from '../error-message.js';
import type { EtlEvent, FileChanges, RunSummary, StageName, StageOutcome } from './events.js';
import { IdleTime } from './idle-time.js';
import { planRun, type KeysStep, type PlanRunOptions, type RunPlan, type Step } from './run-plan.js';
import { saveLastRun } from './run-history.js';
import type { StageAhead, StageContext } from './stages.js';
import { fileChanges, findChanges } from './incremental/find-changes.js';
import { swapTables } from './swap-tables.js';
import { EXIT, SparkifyError } from '../sparkify-error.js';

export { planPipeline, planReset, planRun, printedPlan } from './run-plan.js';

export interface RunOptions extends Omit<PlanRunOptions, 'incremental'> {
  /** Load only the files not loaded before (or changed), and bring the star tables up to date; with `prune`, missing files' rows go. */
  incremental?: { prune?: boolean } | undefined;
  signal?: AbortSignal;
  onEvent?: (event: EtlEvent) => void;
  /** How long the swap keeps trying while another session holds a live table (a minute; tests shorten it). */
  swapPatienceMs?: number;
  /** Kept as the last run (shown on the app's Home screen); a reset is not. */
  record?: boolean;
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/**
 * How long a stage runs before the next stage's rows are begun. The default
 * sample's events load in 0.14 s: starting its songs with them added 7 MB to
 * the peak RSS and nothing to the speed (measured when a reader thread read
 * them; a short stage lends little time anyway).
 */
const READ_AHEAD_AFTER_MS = 200;

type StageStep = Extract<Step, { kind: 'stage' }>;

/**
 * Runs the pipeline as one transaction, executing its plan (the one
 * `--dry-run` prints) step by step: it commits only if every stage
 * succeeded, so a failed or cancelled run leaves the warehouse as it was.
 */
export async function runPipeline(wh: Warehouse, options: RunOptions = {}): Promise<RunSummary> {
  const { incremental, ...planOptions } = options;
  const startedAt = new Date();
  // An incremental run is planned once it has read what is loaded, inside its transaction.
  let plan = incremental ? null : planRun(wh.engine, wh.config, planOptions);
  let stages = plan?.stages ?? [];
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  const started = performance.now();
  const outcomes: StageOutcome[] = [];
  emit({ type: 'run-start', stages, reset: options.reset ?? false });
  let changes: FileChanges[] | undefined;

  const finish = (summary: Omit<RunSummary, 'ms' | 'stages'>): RunSummary => {
    const result: RunSummary = { ...summary, ms: elapsed(started), stages: outcomes, ...(changes ? { changes } : {}) };
    if (options.record !== false) saveLastRun(wh.config.stateDir, { at: new Date().toISOString(), reset: options.reset ?? false, summary: result });
    emit({ type: 'run-end', summary: result });
    return result;
  };
  const skipRest = () => {
    for (const stage of stages.slice(outcomes.length)) {
      const outcome: StageOutcome = { stage, status: 'skipped', rows: 0, ms: 0 };
      outcomes.push(outcome);
      emit({ type: 'stage-end', index: outcomes.length, total: stages.length, ...outcome });
    }
  };

  let release: () => Promise<void>;
  try {
    release = await wh.engine.acquireRunLock(wh);
  } catch (error) {
    skipRest();
    return finish(failure(error, wh));
  }
  try {
    if (!plan) {
      try {
        plan = await planIncremental(incremental!.prune ?? false);
      } catch (error) {
        await rollback(wh);
        return finish(failure(error, wh));
      }
    }
    return await executeSteps(plan);
  } finally {
    await release();
  }

  async function planIncremental(prune: boolean): Promise<RunPlan> {
    await wh.query('BEGIN', [], signal);
    const found = await findChanges(wh, wh.config, prune, startedAt, signal);
    const planned = planRun(wh.engine, wh.config, { ...planOptions, incremental: found });
    stages = planned.stages;
    changes = fileChanges(found.deltas);
    emit({ type: 'changes-found', changes, starTables: planned.starTables! });
    emit({ type: 'run-start', stages, reset: false });
    return planned;
  }

  // The lock is taken before the transaction and released after it ends, either way.
  async function executeSteps(plan: RunPlan): Promise<RunSummary> {
    const aheadOf = new Map<StageName, StageAhead>();
    const run = { kind: incremental ? 'incremental' : options.reset ? 'reload' : 'etl', startedAt } as const;
    const context = (stage: StageName): StageContext => ({
      run,
      wh,
      config: wh.config,
      signal,
      maxErrors: options.maxErrors ?? 0,
      progress: (p: CopyProgress) => emit({ type: 'stage-progress', stage, ...p }),
    });
    for (const [i, step] of plan.steps.entries()) {
      if (step.kind === 'stage') {
        const nextStage = plan.steps.slice(i + 1).find((s): s is StageStep => s.kind === 'stage');
        const failed = await runStage(step, nextStage, context, aheadOf);
        if (failed) {
          aheadOf.forEach((a) => a.cancel());
          await rollback(wh);
          skipRest();
          return finish(failed);
        }
        continue;
      }
      try {
        await runStep(plan, step);
      } catch (error) {
        await rollback(wh);
        skipRest();
        return finish(failure(error, wh));
      }
    }
    return finish({ status: 'passed' });
  }

  async function runStep(plan: RunPlan, step: Exclude<Step, StageStep>): Promise<void> {
    switch (step.kind) {
      case 'begin': {
        const setupStarted = performance.now();
        for (const s of step.statements.slice(step.sentBeforePlanning)) await wh.query(s.sql, [], signal);
        if (options.reset) emit({ type: 'reset-end', tables: plan.build.tables.length, ms: elapsed(setupStarted) });
        return;
      }
      case 'keys':
        return buildKeys(step);
      case 'grants':
        for (const s of step.statements) await wh.query(s.sql, [], signal);
        return;
      case 'swap': {
        emit({ type: 'swap-start' });
        const swapStarted = performance.now();
        await swapTables(wh, step, plan.build, signal, options.swapPatienceMs);
        emit({ type: 'swap-end', tables: plan.build.tables.length, ms: elapsed(swapStarted) });
        return;
      }
      case 'commit':
        // Not cancellable: a commit under way is let finish, rather than ended with its session.
        for (const s of step.statements) await wh.query(s.sql);
    }
  }

  async function buildKeys(step: KeysStep): Promise<void> {
    emit({ type: 'keys-start' });
    const keysStarted = performance.now();
    for (const s of step.keys) await wh.query(s.sql, [], signal);
    emit({ type: 'keys-end', ms: elapsed(keysStarted) });
  }

  /** Runs one stage step; returns how the run ended if the stage failed or was cancelled. */
  async function runStage(
    step: StageStep,
    nextStage: StageStep | undefined,
    context: (stage: StageName) => StageContext,
    aheadOf: Map<StageName, StageAhead>,
  ): Promise<Omit<RunSummary, 'ms' | 'stages'> | null> {
    const name = step.stage;
    const index = outcomes.length + 1;
    emit({ type: 'stage-start', stage: name, index, total: stages.length });
    const ahead = aheadOf.get(name);
    aheadOf.delete(name);
    const idle = new IdleTime();
    const startNext = nextStage?.runs.startAhead;
    // Only a stage that runs a while leaves room to work ahead; before a short
    // one, starting the next early only adds its garbage to this stage's.
    const aheadTimer = startNext
      ? setTimeout(() => {
          const nextAhead = startNext({ ...context(nextStage.stage), idle }, nextStage.plan);
          if (nextAhead) aheadOf.set(nextStage.stage, nextAhead);
        }, READ_AHEAD_AFTER_MS)
      : undefined;
    let stageStarted = performance.now();
    try {
      // If the keys cannot be built, the checks count the rows that break them, then the run fails.
      const keysError = step.keysFirst ? await buildKeysFirst(step.keysFirst) : null;
      stageStarted = performance.now();
      const result = await step.runs.run({ ...context(name), idle, ahead }, step.plan);
      clearTimeout(aheadTimer);
      if (keysError) throw keysError;
      const outcome: StageOutcome = { stage: name, status: 'done', ...result, ms: elapsed(stageStarted) };
      outcomes.push(outcome);
      emit({ type: 'stage-end', index, total: stages.length, ...outcome });
      return null;
    } catch (error) {
      clearTimeout(aheadTimer);
      const cancelled = error instanceof CancelledError || signal.aborted;
      const ended = sessionEnded(error);
      const outcome: StageOutcome = {
        stage: name,
        status: cancelled ? 'cancelled' : 'failed',
        rows: 0,
        ms: elapsed(stageStarted),
        ...(cancelled ? ended : { error: wh.mask(messageOf(error)) }),
      };
      outcomes.push(outcome);
      emit({ type: 'stage-end', index, total: stages.length, ...outcome });
      return cancelled ? { status: 'cancelled' } : { status: 'failed' };
    }
  }

  /** The keys inside their savepoint: a key that cannot be built is stepped back from, and returned. */
  async function buildKeysFirst(step: KeysStep): Promise<Error | null> {
    await wh.query(step.savepoint!.sql, [], signal);
    try {
      await buildKeys(step);
      return null;
    } catch (error) {
      if (!isConstraintViolation(error)) throw error;
      await wh.query(step.stepBack!.sql, [], signal);
      return error;
    }
  }
}

/** A unique, foreign key or NOT NULL violation (SQLSTATE class 23). */
function isConstraintViolation(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('23');
}

/** `sparkify reset`: every table replaced by a new, empty one, atomically, by the plan of a run without stages; returns how many. */
export async function resetSchema(wh: Warehouse, signal?: AbortSignal): Promise<number> {
  const summary = await runPipeline(wh, { reset: true, stages: [], record: false, ...(signal ? { signal } : {}) });
  if (summary.status === 'cancelled') throw new CancelledError();
  if (summary.status === 'failed') throw new ResetFailedError(summary.error ?? 'failed');
  return planRun(wh.engine, wh.config, { reset: true, stages: [] }).build.tables.length;
}

export class ResetFailedError extends SparkifyError {
  readonly exitCode = EXIT.failure;
  override name = 'ResetFailedError';
}

async function rollback(wh: Warehouse): Promise<void> {
  await wh.query('ROLLBACK').catch(() => {});
}

/** A cancel that had to end the session says so (the stage's or the run's error line). */
function sessionEnded(error: unknown): { error?: string } {
  return error instanceof CancelledError && error.sessionEnded ? { error: error.message } : {};
}

function failure(error: unknown, wh: Warehouse): Omit<RunSummary, 'ms' | 'stages'> {
  if (error instanceof CancelledError) return { status: 'cancelled', ...sessionEnded(error) };
  return { status: 'failed', error: wh.mask(messageOf(error)) };
}

export type { RunPlan };

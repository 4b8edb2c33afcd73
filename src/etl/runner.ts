import { createBuildTablesSql } from '../sql/render-ddl.js';
import { copyGrantsSql } from '../sql/grants.js';
import { keysSql, swapSql } from '../sql/swap.js';
import { FLUSH_BEFORE_SWAP_SQL, swapAttemptSql } from '../sql/swap-attempt.js';
import { TableBuild } from '../sql/table-build.js';
import type { Config } from '../config/types.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { DialectName } from '../warehouse/dialect.js';
import { CancelledError } from '../warehouse/errors.js';
import type { CopyProgress } from './copy-into-staging.js';
import { STAGE_NAMES, type EtlEvent, type RunSummary, type StageName, type StageOutcome } from './events.js';
import { acquireRunLock, planRunLock } from '../warehouse/run-lock.js';
import { messageOf } from './error-message.js';
import { saveLastRun } from './run-history.js';
import { IdleTime } from './idle-time.js';
import { stageNamed, type StageAhead } from './stages.js';
import { swapTables } from './swap-tables.js';

export interface RunOptions {
  /** Stages to run, in pipeline order; all of them by default. */
  stages?: readonly StageName[];
  /** Build every table anew, load_errors too, not only those the stages fill (a reload). */
  reset?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: EtlEvent) => void;
  /** Bad rows each extract may leave out (recorded in load_errors) before the run fails; 0 by default. */
  maxErrors?: number;
  /** How long the swap keeps trying while another session holds a live table (a minute; tests shorten it). */
  swapPatienceMs?: number;
}

const elapsed = (since: number) => Math.round(performance.now() - since);

/**
 * How long a stage runs before the next stage's rows are begun. The default
 * sample's events load in 0.14 s: starting its songs with them added 7 MB to
 * the peak RSS and nothing to the speed (measured when a reader thread read
 * them; a short stage lends little time anyway).
 */
const READ_AHEAD_AFTER_MS = 200;

/** The requested stages in pipeline order; all of them when none are named. */
function selectedStages(requested: readonly StageName[] | undefined): StageName[] {
  const wanted = new Set(requested ?? STAGE_NAMES);
  return STAGE_NAMES.filter((s) => wanted.has(s));
}

/**
 * What a run sends around its stages, the same for the run and its plan:
 * the tables it builds anew (every table on a reset; else those its stages
 * fill), their creation, their keys, and the swap that makes them live.
 */
interface RunFrame {
  stages: StageName[];
  build: TableBuild;
  create: string[];
  keys: string[];
  /** The live tables' grants, given to the new ones. */
  grants: string[];
  /** The embedded server: a checkpoint on a second connection before the swap. */
  flush: string[];
  /** What each attempt at the swap starts with (PostgreSQL: a savepoint and the locks). */
  attempt: string[];
  swap: string[];
}

function runFrame(dialect: DialectName, config: Config, options: Pick<RunOptions, 'stages' | 'reset'>): RunFrame {
  const stages = selectedStages(options.stages);
  const build = options.reset ? TableBuild.ALL : new TableBuild(stages.flatMap((s) => stageNamed(s).writes ?? []));
  const swap = swapSql(dialect, build);
  return {
    stages,
    build,
    create: createBuildTablesSql(dialect, build),
    keys: keysSql(dialect, build),
    grants: copyGrantsSql(dialect, build),
    flush: swap.length > 0 && config.engine === 'embedded' ? [FLUSH_BEFORE_SWAP_SQL] : [],
    attempt: swap.length > 0 ? swapAttemptSql(dialect, build) : [],
    swap,
  };
}

/**
 * Runs the pipeline as one transaction: it commits only if every stage
 * succeeded, so a failed or cancelled run leaves the warehouse as it was.
 */
export async function runPipeline(wh: Warehouse, options: RunOptions = {}): Promise<RunSummary> {
  const { stages, build, create, keys, grants, flush, attempt, swap } = runFrame(wh.dialect, wh.config, options);
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  const started = performance.now();
  const outcomes: StageOutcome[] = [];
  emit({ type: 'run-start', stages, reset: options.reset ?? false });

  const finish = (summary: Omit<RunSummary, 'ms' | 'stages'>): RunSummary => {
    const result: RunSummary = { ...summary, ms: elapsed(started), stages: outcomes };
    saveLastRun(wh.config.stateDir, { at: new Date().toISOString(), reset: options.reset ?? false, summary: result });
    emit({ type: 'run-end', summary: result });
    return result;
  };
  const skipRest = (from: number) => {
    stages.slice(from).forEach((stage, i) => {
      const outcome: StageOutcome = { stage, status: 'skipped', rows: 0, ms: 0 };
      outcomes.push(outcome);
      emit({ type: 'stage-end', index: from + i + 1, total: stages.length, ...outcome });
    });
  };

  let release: () => Promise<void>;
  try {
    release = await acquireRunLock(wh);
  } catch (error) {
    skipRest(0);
    return finish(failure(error, wh));
  }
  try {
    return await runLocked();
  } finally {
    await release();
  }

  // The lock is taken before the transaction and released after it ends, either way.
  async function runLocked(): Promise<RunSummary> {
    try {
      await wh.query('BEGIN', [], signal);
      const setupStarted = performance.now();
      for (const sql of create) await wh.query(sql, [], signal);
      if (options.reset) emit({ type: 'reset-end', tables: build.tables.length, ms: elapsed(setupStarted) });
    } catch (error) {
      await rollback(wh);
      skipRest(0);
      return finish(failure(error, wh));
    }

    // PostgreSQL builds the new tables' keys once their rows are in: before the checks, or at the end.
    let keysInPlace = keys.length === 0;
    const buildKeys = async () => {
      emit({ type: 'keys-start' });
      const keysStarted = performance.now();
      for (const sql of keys) await wh.query(sql, [], signal);
      emit({ type: 'keys-end', ms: elapsed(keysStarted) });
      keysInPlace = true;
    };

    const context = (stage: StageName) => ({
      wh,
      config: wh.config,
      build,
      signal,
      maxErrors: options.maxErrors ?? 0,
      progress: (p: CopyProgress) => emit({ type: 'stage-progress', stage, ...p }),
    });
    // The next stage's rows, being made while this stage runs.
    const aheadOf = new Map<StageName, StageAhead>();
    for (const [i, name] of stages.entries()) {
      const index = i + 1;
      emit({ type: 'stage-start', stage: name, index, total: stages.length });
      const ahead = aheadOf.get(name);
      aheadOf.delete(name);
      const idle = new IdleTime();
      const next = stages[i + 1];
      const startNext = next ? stageNamed(next).startAhead : undefined;
      // Only a stage that runs a while leaves room to work ahead; before a short
      // one, starting the next early only adds its garbage to this stage's.
      const aheadTimer = startNext
        ? setTimeout(() => {
            const nextAhead = startNext({ ...context(next!), idle });
            if (nextAhead) aheadOf.set(next!, nextAhead);
          }, READ_AHEAD_AFTER_MS)
        : undefined;
      let stageStarted = performance.now();
      try {
        // Keys are built before the checks, which then need not scan for what the
        // constraints enforce; if they cannot be built, the checks count the rows that break them.
        let keysError: unknown = null;
        if (name === 'checks' && !keysInPlace) {
          await wh.query('SAVEPOINT keys', [], signal);
          try {
            await buildKeys();
          } catch (error) {
            if (!isConstraintViolation(error)) throw error;
            await wh.query('ROLLBACK TO SAVEPOINT keys', [], signal);
            keysError = error;
          }
          stageStarted = performance.now();
        }
        const result = await stageNamed(name).run({ ...context(name), idle, ahead });
        clearTimeout(aheadTimer);
        if (keysError) throw keysError;
        const outcome: StageOutcome = { stage: name, status: 'done', ...result, ms: elapsed(stageStarted) };
        outcomes.push(outcome);
        emit({ type: 'stage-end', index, total: stages.length, ...outcome });
      } catch (error) {
        const cancelled = error instanceof CancelledError || signal.aborted;
        const outcome: StageOutcome = {
          stage: name,
          status: cancelled ? 'cancelled' : 'failed',
          rows: 0,
          ms: elapsed(stageStarted),
          ...(cancelled ? sessionEnded(error) : { error: wh.mask(messageOf(error)) }),
        };
        outcomes.push(outcome);
        emit({ type: 'stage-end', index, total: stages.length, ...outcome });
        clearTimeout(aheadTimer);
        aheadOf.forEach((a) => a.cancel());
        await rollback(wh);
        skipRest(i + 1);
        return finish(cancelled ? { status: 'cancelled' } : { status: 'failed' });
      }
    }

    try {
      if (!keysInPlace) await buildKeys();
      for (const sql of grants) await wh.query(sql, [], signal);
      if (swap.length > 0) {
        emit({ type: 'swap-start' });
        const swapStarted = performance.now();
        await swapTables(wh, { flush, attempt, swap }, build, signal, options.swapPatienceMs);
        emit({ type: 'swap-end', tables: build.tables.length, ms: elapsed(swapStarted) });
      }
      // Not cancellable: a commit under way is let finish, rather than ended with its session.
      await wh.query('COMMIT');
    } catch (error) {
      await rollback(wh);
      return finish(failure(error, wh));
    }
    return finish({ status: 'passed' });
  }
}

/** A unique, foreign key or NOT NULL violation (SQLSTATE class 23). */
function isConstraintViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('23');
}

/** `sparkify reset`: every table replaced by a new, empty one, atomically; returns how many. */
export async function resetSchema(wh: Warehouse, signal?: AbortSignal): Promise<number> {
  const release = await acquireRunLock(wh);
  const { build, create, keys, grants, flush, attempt, swap } = runFrame(wh.dialect, wh.config, { reset: true, stages: [] });
  const running = signal ?? new AbortController().signal;
  try {
    for (const sql of ['BEGIN', ...create, ...keys, ...grants]) await wh.query(sql, [], running);
    await swapTables(wh, { flush, attempt, swap }, build, running);
    await wh.query('COMMIT');
    return build.tables.length;
  } catch (error) {
    await rollback(wh);
    throw error;
  } finally {
    await release();
  }
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

/**
 * The statements runPipeline sends for these options, in order, without
 * connecting: for `--dry-run`. It walks the same frame and the same stages,
 * between the run lock's statements.
 */
export function planPipeline(dialect: DialectName, config: Config, options: Pick<RunOptions, 'stages' | 'reset' | 'maxErrors'> = {}): string[] {
  const { stages, build, create, keys, grants, flush, attempt, swap } = runFrame(dialect, config, options);
  const lock = planRunLock(dialect, config.redshiftSystemViews);
  const plan = (name: StageName) => stageNamed(name).plan(dialect, config, { build, maxErrors: options.maxErrors });
  const checks = stages.includes('checks');
  return [
    ...lock.take,
    'BEGIN',
    ...create,
    ...stages.filter((s) => s !== 'checks').flatMap(plan),
    ...(keys.length > 0 && checks ? ['SAVEPOINT keys', ...keys] : []),
    ...(checks ? plan('checks') : []),
    ...(checks ? [] : keys),
    ...grants,
    ...flush,
    ...attempt,
    ...swap,
    'COMMIT',
    ...lock.release,
  ];
}

/** `sparkify reset`: new, empty tables with their keys, swapped in for the live ones. */
export function planReset(dialect: DialectName, config: Config): string[] {
  const { create, keys, grants, flush, attempt, swap } = runFrame(dialect, config, { reset: true, stages: [] });
  const lock = planRunLock(dialect, config.redshiftSystemViews);
  return [...lock.take, 'BEGIN', ...create, ...keys, ...grants, ...flush, ...attempt, ...swap, 'COMMIT', ...lock.release];
}

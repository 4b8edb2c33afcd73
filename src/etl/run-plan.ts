import type { Config } from '../config/types.js';
import type { Engine, LockPlan } from '../engines/engine.js';
import { createTableSql } from '../sql/render-ddl.js';
import { printStatement, statement, type Statement } from '../sql/statement.js';
import { TableBuild } from '../sql/table-build.js';
import { STAGE_NAMES, type StageName } from './events.js';
import { tableNamed } from '../sql/schema.js';
import { APPENDED_TABLES } from '../sql/append-transforms.js';
import { changesTable, onlyAdds, type TableDelta } from './incremental/delta.js';
import { appendStage, incrementalExtract } from './incremental/stages.js';
import { stageNamed, STAGES, type Stage, type StagePlan } from './stages.js';

/** A part of a run, in the order it runs: what it sends, and what kind of part it is. */
export type Step =
  /** `sentBeforePlanning`: how many of its first statements the run sent before it could plan the rest (an incremental run's history read). */
  | { kind: 'begin'; statements: Statement[]; sentBeforePlanning: number }
  /** A stage; the checks stage first builds the keys (PostgreSQL), inside a savepoint it steps back to if one cannot be built. */
  | { kind: 'stage'; stage: StageName; runs: Stage; plan: StagePlan; keysFirst: KeysStep | null; statements: Statement[] }
  | KeysStep
  | { kind: 'grants'; statements: Statement[] }
  | { kind: 'swap'; flush: Statement[]; attempt: Statement[]; swap: Statement[]; stepBack: Statement[]; statements: Statement[] }
  | { kind: 'commit'; statements: Statement[] };

/** PostgreSQL: the new star tables' keys and indexes, built once their rows are in. */
export interface KeysStep {
  kind: 'keys';
  keys: Statement[];
  savepoint: Statement | null;
  stepBack: Statement | null;
  statements: Statement[];
}

/**
 * Everything a run sends, planned once: `--dry-run` prints it and the
 * runner executes it, step by step, so the two cannot differ. Statements
 * the run sends only in some case say which (`onlyIf`).
 */
export interface RunPlan {
  stages: StageName[];
  /** An incremental run: the star tables followed by appending, rebuilt from staging, or left (nothing changed). */
  starTables: StarUpdate | null;
  build: TableBuild;
  lock: LockPlan;
  steps: Step[];
}

export interface PlanRunOptions {
  /** Stages to run, in pipeline order; all of them by default. */
  stages?: readonly StageName[] | undefined;
  /** Build every table anew, load_errors too, not only those the stages fill (a reload, a reset). */
  reset?: boolean | undefined;
  maxErrors?: number | undefined;
  /** An incremental run: what it found, read before planning. */
  incremental?: FoundChanges | undefined;
}

/** What an incremental run found, comparing the sources with load_history (see findChanges). */
export interface FoundChanges {
  deltas: TableDelta[];
  startedAt: Date;
  /** What was read to find them, in order: the digests of load_history, and those parts of it that were needed. */
  sent: string[];
}

/**
 * How an incremental run brings the star tables up to date: only new event
 * files (the daily case) are appended; any other change (a song file, a
 * changed or pruned event file) rebuilds them from staging, which is then
 * only the new files' extract away from a full reload.
 */
export type StarUpdate = 'append' | 'rebuild' | 'none';

export function starUpdateFor(deltas: readonly TableDelta[]): StarUpdate {
  const changing = deltas.filter(changesTable);
  if (changing.length === 0) return 'none';
  return changing.every((d) => d.table === 'staging_events' && onlyAdds(d)) ? 'append' : 'rebuild';
}

const READ_HISTORY_NOTE = 'what is loaded already: the run compares it with the sources, and plans what follows';

const KEYS_STEP_BACK = 'a key cannot be built: the checks then count the rows that break it, and the run fails';
const SWAP_STEP_BACK_CASE = 'another session holds a live table past the wait: the attempt is made again (for up to a minute)';

/** The requested stages in pipeline order; all of them when none are named. */
function selectedStages(requested: readonly StageName[] | undefined): StageName[] {
  const wanted = new Set(requested ?? STAGE_NAMES);
  return STAGE_NAMES.filter((s) => wanted.has(s));
}

const statements = (sql: readonly string[], more: Omit<Statement, 'sql'> = {}) => sql.map((s) => statement(s, more));

/** The stages of a run and the tables it builds anew: those asked for, or those an incremental run's changes call for. */
function stagesOf(options: PlanRunOptions): { stages: Stage[]; build: TableBuild; starTables: StarUpdate | null } {
  const found = options.incremental;
  if (!found) {
    const stages = selectedStages(options.stages).map(stageNamed);
    return { stages, build: options.reset ? TableBuild.ALL : new TableBuild(stages.flatMap((s) => s.writes ?? [])), starTables: null };
  }
  const starTables = starUpdateFor(found.deltas);
  if (starTables === 'none') return { stages: [], build: TableBuild.NONE, starTables };
  const extracts = found.deltas.filter(changesTable).map((d) => incrementalExtract(d, found.startedAt));
  if (starTables === 'append') {
    const events = found.deltas.find((d) => d.table === 'staging_events')!;
    return {
      stages: [...extracts, ...APPENDED_TABLES.map((t) => appendStage(t, events.firstFileId)), stageNamed('checks')],
      build: TableBuild.NONE,
      starTables,
    };
  }
  const rebuilt = STAGES.filter((s) => s.writes !== null && tableNamed(s.writes).role !== 'staging');
  return { stages: [...extracts, ...rebuilt, stageNamed('checks')], build: new TableBuild(rebuilt.map((s) => s.writes!)), starTables };
}

export function planRun(engine: Engine, config: Config, options: PlanRunOptions = {}): RunPlan {
  const { stages: selected, build, starTables } = stagesOf(options);
  const stages = selected.map((s) => s.name);
  const keys = statements(engine.keysSql(build));
  const swap = statements(engine.swapSql(build));
  const create = build.tables.flatMap((t) => [createTableSql(t, engine.ddl, build), ...engine.setupTableSql(t, build)]);
  const readHistory = (options.incremental?.sent ?? []).map((sql) => statement(sql, { note: READ_HISTORY_NOTE }));
  const begin = [statement('BEGIN'), ...readHistory];
  const steps: Step[] = [{ kind: 'begin', statements: [...begin, ...statements(create)], sentBeforePlanning: options.incremental ? begin.length : 0 }];
  // Keys are built before the checks, which then need not scan for what the constraints enforce.
  const keysStep = (beforeChecks: boolean): KeysStep => {
    const savepoint = beforeChecks ? statement('SAVEPOINT keys') : null;
    const stepBack = beforeChecks ? statement('ROLLBACK TO SAVEPOINT keys', { onlyIf: KEYS_STEP_BACK }) : null;
    return { kind: 'keys', keys, savepoint, stepBack, statements: [savepoint, ...keys, stepBack].filter((s): s is Statement => s !== null) };
  };
  for (const runs of selected) {
    const name = runs.name;
    const keysFirst = name === 'checks' && keys.length > 0 ? keysStep(true) : null;
    const plan = runs.plan(engine, config, { build, maxErrors: options.maxErrors });
    steps.push({ kind: 'stage', stage: name, runs, plan, keysFirst, statements: [...(keysFirst?.statements ?? []), ...plan.statements] });
  }
  if (keys.length > 0 && !stages.includes('checks')) steps.push(keysStep(false));
  const grants = statements(engine.grantsSql(build));
  if (grants.length > 0) steps.push({ kind: 'grants', statements: grants });
  if (swap.length > 0) {
    const flush = engine.flushBeforeSwap;
    const attempt = statements(engine.swapAttemptSql(build));
    const stepBack = statements(engine.swapStepBackSql, { onlyIf: SWAP_STEP_BACK_CASE });
    steps.push({ kind: 'swap', flush, attempt, swap, stepBack, statements: [...flush, ...attempt, ...swap, ...stepBack] });
  }
  steps.push({ kind: 'commit', statements: [statement('COMMIT')] });
  return { stages, starTables, build, lock: engine.lockPlan(config), steps };
}

/** Every statement of the plan, in order: the run lock's, the run's own, and the lock given back. */
export function planStatements(plan: RunPlan): Statement[] {
  return [...plan.lock.take, ...plan.steps.flatMap((step) => step.statements), ...plan.lock.release];
}

/** The plan as --dry-run prints it: each statement with its comments. */
export function printedPlan(plan: RunPlan): string[] {
  return planStatements(plan).map(printStatement);
}

/** `--dry-run` of etl and reload: the printed plan. */
export function planPipeline(engine: Engine, config: Config, options: PlanRunOptions = {}): string[] {
  return printedPlan(planRun(engine, config, options));
}

/** `--dry-run` of reset: the plan of a run without stages that builds every table anew. */
export function planReset(engine: Engine, config: Config): string[] {
  return planPipeline(engine, config, { reset: true, stages: [] });
}

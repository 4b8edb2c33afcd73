import { TABLES, type StagingTableName, type StarTableName } from '../sql/schema.js';

/** A stage fills a staging or star table, of the same name, or checks the star tables. */
export type StageName = StagingTableName | StarTableName | 'checks';

/** The stages in the order they run: the tables in the order the pipeline fills them, then the checks. */
export const STAGE_NAMES: readonly StageName[] = [...TABLES.flatMap((t) => (t.role === 'audit' ? [] : [t.name as StageName])), 'checks'];

export function isStageName(name: string): name is StageName {
  return (STAGE_NAMES as readonly string[]).includes(name);
}

export type StageEndStatus = 'done' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'passed' | 'failed' | 'cancelled';

/** What a stage reports when it ends: rows written (or checks passed for `checks`). */
export interface StageResult {
  rows: number;
  bytes?: number;
  unit?: 'rows' | 'checks';
  /** Extract with --max-errors: bad rows left out, recorded in load_errors. */
  rejected?: number;
  /** Incremental extract: rows of replaced or pruned files removed. */
  removed?: number;
}

export interface StageOutcome extends StageResult {
  stage: StageName;
  status: StageEndStatus;
  ms: number;
  /** Why the stage failed; for a cancelled one, that its session had to be ended to stop it. */
  error?: string;
}

/** What an incremental run found in one staging table's source. */
export interface FileChanges {
  table: StagingTableName;
  /** Files not loaded before. */
  added: number;
  /** Files loaded before in another version: loaded again, their earlier rows replaced. */
  changed: number;
  /** Loaded files no longer in the source. */
  missing: number;
  /** Whether the missing files' rows are removed (--prune). */
  pruned: boolean;
  unchanged: number;
}

/** The typed progress of a run, for the CLI's lines and the TUI's screens. */
export type EtlEvent =
  | { type: 'run-start'; stages: readonly StageName[]; reset: boolean }
  /** An incremental run compared the sources with load_history: what it will load (its stages then follow). */
  | { type: 'changes-found'; changes: FileChanges[]; starTables: 'append' | 'rebuild' | 'none' }
  | { type: 'reset-end'; tables: number; ms: number }
  /** PostgreSQL: the new star tables' keys and indexes begin to be built. */
  | { type: 'keys-start' }
  /** PostgreSQL: the new star tables' keys and indexes, built once their rows are in. */
  | { type: 'keys-end'; ms: number }
  /** The swap begins: from here readers may wait, for the swap and the commit. */
  | { type: 'swap-start' }
  /** The new tables took the place of the live ones, just before the commit. */
  | { type: 'swap-end'; tables: number; ms: number }
  | { type: 'stage-start'; stage: StageName; index: number; total: number }
  | { type: 'stage-progress'; stage: StageName; rows: number; bytes: number; filesDone?: number; files?: number }
  | ({ type: 'stage-end'; index: number; total: number } & StageOutcome)
  | { type: 'run-end'; summary: RunSummary };

export interface RunSummary {
  status: RunStatus;
  ms: number;
  stages: StageOutcome[];
  /** Why the run failed, when it failed outside a stage (reset, commit); or that a cancel had to end the session. */
  error?: string;
  /** An incremental run: what it found to load. */
  changes?: FileChanges[];
}

import type { Config } from '../config/types.js';
import type { RunKind } from '../sql/load-history.js';
import type { TableName } from '../sql/schema.js';
import type { Statement } from '../sql/statement.js';
import type { TableBuild } from '../sql/table-build.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { Engine } from '../engines/engine.js';
import type { CopyProgress, CopyResult } from './copy-into-staging.js';
import type { StageName, StageResult } from './events.js';
import type { IdleTime } from './idle-time.js';
import type { LoadRecord } from './load-history.js';

export interface StageContext {
  wh: Warehouse;
  config: Config;
  signal: AbortSignal;
  /** Bad rows an extract may leave out (into load_errors) before it fails. */
  maxErrors: number;
  progress: (progress: CopyProgress) => void;
  /** Where this stage lends the time its COPY waits for the server (to the next stage's rows). */
  idle?: IdleTime | undefined;
  /** This stage's rows, begun while the stage before ran (see Stage.startAhead). */
  ahead?: StageAhead | undefined;
  /** The run, as load_history records it. */
  run: RunIdentity;
}

/** What kind of run, and when it began: recorded with each file it loads. */
export interface RunIdentity {
  kind: RunKind;
  startedAt: Date;
}

/** A stage's COPY begun before the stage, its rows made in the time the stage before lends. */
export interface StageAhead {
  /** The stage has begun: its COPY may start on the connection. */
  begin(): void;
  copying: Promise<CopyResult & { record: LoadRecord }>;
  /** Stops it, for a run that ends before the stage begins. */
  cancel(): void;
}

export interface PlanOptions {
  /** The tables the run rebuilds, and the names they go by until the swap. */
  build: TableBuild;
  maxErrors?: number | undefined;
}

/** What a stage will send, in order: printed by --dry-run, and what run() sends. */
export interface StagePlan {
  statements: Statement[];
}

export interface Stage<P extends StagePlan = StagePlan> {
  name: StageName;
  /** The table the stage fills, which a run that includes it builds anew. */
  writes: TableName | null;
  plan(engine: Engine, config: Config, options: PlanOptions): P;
  /** Sends the plan's statements (those marked onlyIf when their case arises). */
  run(ctx: StageContext, plan: P): Promise<StageResult>;
  /**
   * Starts making the stage's rows while the stage before runs, in the time
   * that one's COPY lends (the 100k song files of 1M events, while the events
   * load); undefined where the server reads the files (Redshift).
   */
  startAhead?: (ctx: StageContext & { idle: IdleTime }, plan: P) => StageAhead | undefined;
}

/** A stage with its own kind of plan, among the others. */
export function defineStage<P extends StagePlan>(stage: Stage<P>): Stage {
  return stage as unknown as Stage;
}

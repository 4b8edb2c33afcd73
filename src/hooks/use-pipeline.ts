import { useCallback, useRef, useState } from 'react';
import { STAGE_NAMES, type EtlEvent, type FileChanges, type RunSummary, type StageName } from '../etl/events.js';
import { runPipeline } from '../etl/runner.js';
import type { Warehouse } from '../warehouse/connection.js';

export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface StageView {
  name: StageName;
  status: StageStatus;
  rows: number;
  bytes: number;
  unit: 'rows' | 'checks';
  /** performance.now() when it started, while it runs. */
  startedAt: number | null;
  ms: number | null;
  error: string | null;
}

export interface PipelineState {
  running: boolean;
  reset: boolean;
  /** An incremental run: what it found (its stages are known from then). */
  incremental: { changes: FileChanges[]; starTables: 'append' | 'rebuild' | 'none' } | null;
  stages: StageView[];
  summary: RunSummary | null;
}

const idleStages = (names: readonly StageName[]): StageView[] =>
  names.map((name) => ({ name, status: 'pending', rows: 0, bytes: 0, unit: name === 'checks' ? 'checks' : 'rows', startedAt: null, ms: null, error: null }));

function apply(state: PipelineState, event: EtlEvent): PipelineState {
  const update = (name: StageName, change: Partial<StageView>) => ({
    ...state,
    stages: state.stages.map((s) => (s.name === name ? { ...s, ...change } : s)),
  });
  switch (event.type) {
    case 'changes-found':
      return { ...state, incremental: { changes: event.changes, starTables: event.starTables } };
    case 'run-start':
      // An incremental run plans its stages once it has read what is loaded.
      return { ...state, stages: idleStages(event.stages) };
    case 'stage-start':
      return update(event.stage, { status: 'running', startedAt: performance.now() });
    case 'stage-progress':
      return update(event.stage, { rows: event.rows, bytes: event.bytes });
    case 'stage-end':
      return update(event.stage, {
        status: event.status,
        rows: event.rows,
        bytes: event.bytes ?? 0,
        ms: event.ms,
        startedAt: null,
        error: event.error ?? null,
      });
    case 'run-end':
      return { ...state, running: false, summary: event.summary };
    default:
      return state;
  }
}

/** Progress is shown at most this often: each update redraws the screen, which costs the load time. */
const PROGRESS_EVERY_MS = 100;

/** Runs the ETL engine and follows its progress events; `cancel` aborts the run (which rolls back). */
export function usePipeline(wh: Warehouse | null, onFinished?: (summary: RunSummary) => void) {
  const [state, setState] = useState<PipelineState>({ running: false, reset: false, incremental: null, stages: idleStages(STAGE_NAMES), summary: null });
  const controller = useRef<AbortController | null>(null);
  const finished = useRef<Promise<void>>(Promise.resolve());

  const run = useCallback(
    (options: { stages?: StageName[]; reset?: boolean; incremental?: boolean } = {}) => {
      if (!wh || controller.current) return false;
      const abort = new AbortController();
      controller.current = abort;
      const names = options.stages ?? STAGE_NAMES;
      setState({ running: true, reset: options.reset ?? false, incremental: null, stages: idleStages(options.incremental ? [] : names), summary: null });
      let lastProgress = 0;
      const onEvent = (event: EtlEvent) => {
        if (event.type === 'stage-progress') {
          const now = performance.now();
          if (now - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = now;
        }
        setState((s) => apply(s, event));
      };
      const done = () => {
        controller.current = null;
      };
      const how = options.incremental ? { incremental: {} } : { stages: names, reset: options.reset };
      finished.current = runPipeline(wh, { ...how, signal: abort.signal, onEvent }).then((summary) => {
        done();
        onFinished?.(summary);
      }, done);
      return true;
    },
    [wh, onFinished],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  /** Cancels a running run and waits until it has rolled back. */
  const stop = useCallback(async () => {
    controller.current?.abort();
    await finished.current;
  }, []);
  return { ...state, run, cancel, stop };
}

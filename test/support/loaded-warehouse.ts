import { expect } from 'vitest';
import type { RunSummary } from '../../src/etl/events.js';
import { runPipeline, type RunOptions } from '../../src/etl/runner.js';
import type { Warehouse } from '../../src/warehouse/connection.js';
import { MINI } from './fixtures.js';
import { warehouseOn, withWarehouse } from './open-warehouse.js';
import { writeTestConfig } from './warehouse.js';

/** Reloads `wh` (reset + the whole pipeline) and expects the run to pass. */
export async function reloadPassing(wh: Warehouse): Promise<void> {
  expect((await runPipeline(wh, { reset: true })).status).toBe('passed');
}

/** A warehouse on a fresh database, reloaded from `dataDir` (the mini fixture by default); the caller closes it. */
export async function loadedWarehouse(dataDir = MINI): Promise<Warehouse> {
  const wh = await warehouseOn(dataDir);
  try {
    await reloadPassing(wh);
  } catch (error) {
    await wh.close();
    throw error;
  }
  return wh;
}

/** A dwh.cfg on a fresh database, reloaded from `dataDir` (the mini fixture by default); no session is left open. */
export async function loadedConfig(dataDir = MINI): Promise<string> {
  const { file } = await writeTestConfig(dataDir);
  await withWarehouse(file, reloadPassing);
  return file;
}

/** Runs the pipeline on `database` with `dataDir` as its data, in a session of its own, closed after. */
export function runPipelineOn(dataDir: string, database: string, options: RunOptions): Promise<RunSummary> {
  return withWarehouse(warehouseOn(dataDir, database), (wh) => runPipeline(wh, options));
}

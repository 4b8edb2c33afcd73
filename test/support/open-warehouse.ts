import { loadConfig } from '../../src/config/load-config.js';
import { Warehouse } from '../../src/warehouse/connection.js';
import { writeTestConfig } from './warehouse.js';

/** Opens the warehouse a dwh.cfg describes; the caller closes it. */
export function openWarehouse(file: string): Promise<Warehouse> {
  return Warehouse.open(loadConfig({ configPath: file }));
}

/**
 * Opens a warehouse on `dataDir` (a new dwh.cfg, see writeTestConfig): on a
 * fresh database, or on `database` for another session on one already open.
 * The caller closes it.
 */
export async function warehouseOn(dataDir: string, database?: string): Promise<Warehouse> {
  return openWarehouse((await writeTestConfig(dataDir, { database })).file);
}

/**
 * Runs `work` on a warehouse, and closes it whatever happens: the warehouse
 * of a dwh.cfg file, or one being opened (e.g. `warehouseOn(MINI)`).
 *
 * Not src/commands/with-warehouse.ts: that one masks the secrets in an error
 * on its way out, as the command line must, but a test wants its failure as
 * it was (an assertion's expected and received text unmasked; masked, a
 * password like "postgres" would garble it). The tests of that masking use it.
 */
export async function withWarehouse<T>(from: string | Promise<Warehouse>, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await (typeof from === 'string' ? openWarehouse(from) : from);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

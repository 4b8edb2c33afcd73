import { expect } from 'vitest';
import type { Warehouse } from '../../src/warehouse/connection.js';
import { rows } from './warehouse.js';

/** Waits (15 s at most) until the server has no session of pid `pid` any more, as `observer` sees pg_stat_activity. */
export async function untilSessionEnded(observer: Warehouse, pid: number): Promise<void> {
  await expect.poll(() => rows(observer, 'SELECT pid FROM pg_stat_activity WHERE pid = $1', [pid]), { timeout: 15_000, interval: 20 }).toEqual([]);
}

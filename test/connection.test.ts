import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/types.js';
import { KEEPALIVE_IDLE_MS, Warehouse } from '../src/warehouse/connection.js';
import { CancelledError } from '../src/warehouse/errors.js';
import { MINI } from './support/fixtures.js';
import { writeTestConfig } from './support/warehouse.js';

let config: Config;
beforeAll(async () => {
  config = loadConfig({ configPath: (await writeTestConfig(MINI)).file });
});

function hasSs(): boolean {
  try {
    execFileSync('ss', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('TCP keepalive', () => {
  it(`is on, after ${KEEPALIVE_IDLE_MS / 1000} s idle, for every connection: the session, a side query and a cancel`, async () => {
    const setKeepAlive = vi.spyOn(net.Socket.prototype, 'setKeepAlive');
    const wh = await Warehouse.open(config);
    try {
      expect(setKeepAlive.mock.calls).toEqual([[true, 60_000]]);
      await wh.querySideways('SELECT 1');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expect(wh.query('SELECT pg_sleep(30)', [], controller.signal)).rejects.toBeInstanceOf(CancelledError);
      expect(setKeepAlive.mock.calls).toEqual([[true, 60_000], [true, 60_000], [true, 60_000]]);
    } finally {
      setKeepAlive.mockRestore();
      await wh.close();
    }
  });

  it.skipIf(!hasSs())('is set on the socket itself, as the kernel reports it (ss)', async () => {
    const wh = await Warehouse.open(config);
    try {
      const port = (wh.client as unknown as { connection: { stream: net.Socket } }).connection.stream.localPort!;
      const line = execFileSync('ss', ['-tnoH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
      // e.g. timer:(keepalive,59sec,0): the first probe is due within a minute of silence.
      expect(line).toMatch(/timer:\(keepalive,(\d+sec|1min),0\)/);
    } finally {
      await wh.close();
    }
  });
});

afterAll(() => vi.restoreAllMocks());

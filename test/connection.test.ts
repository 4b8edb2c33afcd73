import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunReporter } from '../src/commands/run-report.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/types.js';
import type { EtlEvent } from '../src/etl/events.js';
import { runPipeline } from '../src/etl/runner.js';
import { KEEPALIVE_IDLE_MS, Warehouse } from '../src/warehouse/connection.js';
import { CancelledError } from '../src/warehouse/errors.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { MINI, MINI_COUNTS } from './support/fixtures.js';
import { withWarehouse } from './support/open-warehouse.js';
import { untilSessionEnded } from './support/sessions.js';
import { loadTestConfig, rows, writeTestConfig } from './support/warehouse.js';

let config: Config;
beforeAll(async () => {
  config = await loadTestConfig(MINI);
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
      expect(setKeepAlive.mock.calls).toEqual([
        [true, 60_000],
        [true, 60_000],
        [true, 60_000],
      ]);
    } finally {
      setKeepAlive.mockRestore();
      await wh.close();
    }
  });

  it.skipIf(!hasSs())('is set on the socket itself, as the kernel reports it (ss)', async () => {
    await withWarehouse(Warehouse.open(config), async (wh) => {
      const port = ((await wh.readyClient()) as unknown as { connection: { stream: net.Socket } }).connection.stream.localPort!;
      const line = execFileSync('ss', ['-tnoH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
      // e.g. timer:(keepalive,59sec,0): the first probe is due within a minute of silence.
      expect(line).toMatch(/timer:\(keepalive,(\d+sec|1min),0\)/);
    });
  });
});

/** A statement that ignores pg_cancel_backend, as Redshift may inside a transaction block; only the end of its session stops it. */
const IGNORES_CANCEL = `DO $$ BEGIN LOOP BEGIN PERFORM pg_sleep(30); EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $$`;

describe('cancelling a statement', () => {
  it('keeps the session when the statement stops on the cancel', async () => {
    await withWarehouse(Warehouse.open(config, { cancelGraceMs: 3000 }), async (wh) => {
      const pid = wh.backendPid;
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = performance.now();
      const error = await wh.query('SELECT pg_sleep(30)', [], controller.signal).catch((e: unknown) => e);
      expect(error).toEqual(new CancelledError('cancelled', false));
      expect(performance.now() - started).toBeLessThan(3000);
      expect(wh.backendPid).toBe(pid);
    });
  });

  it('ends the session of a statement that goes on past the grace period, which rolls its transaction back, and says so', async () => {
    const wh = await Warehouse.open(config, { cancelGraceMs: 500 });
    const other = await Warehouse.open(config);
    try {
      const pid = wh.backendPid;
      await wh.query('BEGIN');
      await wh.query('CREATE TABLE cancel_probe (x INTEGER)');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const started = performance.now();
      const error = await wh.query(IGNORES_CANCEL, [], controller.signal).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toEqual(
        new CancelledError(
          'the statement went on 0.50s after the cancel, so sparkify ended its session (pg_terminate_backend), which rolled its transaction back',
          true,
        ),
      );
      // The cancel came at 200 ms and was given 500 ms.
      expect(elapsed).toBeGreaterThanOrEqual(700);
      expect(elapsed).toBeLessThan(5000);
      await untilSessionEnded(other, pid!);
      // A new session took its place; the table made in the ended transaction is not there.
      expect(await rows(wh, "SELECT to_regclass('cancel_probe') AS t")).toEqual([{ t: null }]);
      expect(wh.backendPid).not.toBe(pid);
    } finally {
      await wh.close();
      await other.close();
    }
  });

  it('through a whole run: the stage is cancelled, the run says its session was ended, and the warehouse is as it was', async () => {
    const setup = await Warehouse.open(config);
    try {
      expect((await runPipeline(setup, { reset: true })).status).toBe('passed');
      // The checks stage builds the keys first; its CREATE INDEX now ignores a cancel.
      await setup.query(`CREATE FUNCTION ignore_cancels() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN
        LOOP BEGIN PERFORM pg_sleep(30); EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $$`);
      await setup.query(`CREATE EVENT TRIGGER slow_index ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION ignore_cancels()`);
      const wh = await Warehouse.open(config, { cancelGraceMs: 500 });
      const controller = new AbortController();
      // The abort must land in CREATE INDEX, whose trigger ignores a cancel (an
      // earlier statement of the keys stops on the cancel, with no note): it
      // comes once the run's session is seen sleeping in that trigger.
      const abortInIndex = expect
        .poll(() => rows(setup, "SELECT wait_event FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'CREATE INDEX %'", [wh.backendPid]), {
          timeout: 30_000,
          interval: 20,
        })
        .toEqual([{ wait_event: 'PgSleep' }])
        .finally(() => controller.abort());
      const events: EtlEvent[] = [];
      const summary = await runPipeline(wh, { reset: true, signal: controller.signal, onEvent: (e) => events.push(e) });
      await abortInIndex;
      await wh.close();
      const note = 'the statement went on 0.50s after the cancel, so sparkify ended its session (pg_terminate_backend), which rolled its transaction back';
      expect(summary.status).toBe('cancelled');
      expect(summary.stages.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'cancelled']);
      expect(summary.stages[7]!.error).toBe(note);
      const stderr = new PassThrough();
      let printed = '';
      stderr.on('data', (d: Buffer) => (printed += d.toString()));
      const report = createRunReporter(stderr);
      events.forEach(report);
      expect(printed).toMatch(
        new RegExp(`\\n8 of 8 CANCEL checks \\.+ cancelled after \\d+\\.\\d\\ds\\n  note: ${note.replace(/[()]/g, '\\$&')}\\nCancelled at checks after`),
      );
      await setup.query('DROP EVENT TRIGGER slow_index');
      expect(await tableCounts(setup)).toEqual(MINI_COUNTS);
      expect(await rows(setup, "SELECT relname FROM pg_class WHERE relname LIKE '%\\_\\_build%'")).toEqual([]);
    } finally {
      await setup.query('DROP EVENT TRIGGER IF EXISTS slow_index');
      await setup.close();
    }
  });
});

describe('opening', () => {
  it('closes its connection when select version() fails after connecting', async () => {
    const { file, database } = await writeTestConfig(MINI);
    const broken = loadConfig({ configPath: file });
    await withWarehouse(Warehouse.open(broken), async (admin) => {
      // Sessions opened from now on find this version() first: public comes before pg_catalog.
      await admin.query(`CREATE FUNCTION public.version() RETURNS TEXT LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no version here'; END $$`);
      await admin.query(`ALTER DATABASE ${database} SET search_path = public, pg_catalog`);
      await expect(Warehouse.open(broken)).rejects.toThrow(/^no version here$/);
      const others = 'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';
      await expect.poll(() => rows(admin, others), { timeout: 10_000, interval: 50 }).toEqual([]);
    });
  });
});

afterAll(() => vi.restoreAllMocks());

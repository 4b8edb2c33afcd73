import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from '../src/commands/describe-failure.js';
import type { Config } from '../src/config/types.js';
import { recordRejections } from '../src/etl/record-rejections.js';
import { runQuery } from '../src/queries/run-query.js';
import { POSTGRES_DDL } from '../src/engines/postgres/ddl.js';
import { ensureLoadErrorsSql } from '../src/sql/load-errors.js';
import { STAGING_EVENTS } from '../src/sql/schema.js';
import { Warehouse } from '../src/warehouse/connection.js';
import { CancelledError, ConnectionError } from '../src/warehouse/errors.js';
import { MINI } from './support/fixtures.js';
import { untilSessionEnded } from './support/sessions.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { loadTestConfig, rows } from './support/warehouse.js';

// The cancel's fallback, when a statement goes on after pg_cancel_backend
// (as Redshift's may inside a transaction block): its session is ended and
// replaced. Some cases put a TCP proxy between sparkify and the server, to
// act as the network does when it drops a connection or a server stops
// taking new ones.

/** A statement that ignores pg_cancel_backend; only the end of its session stops it. */
const IGNORES_CANCEL = `DO $$ BEGIN LOOP BEGIN PERFORM pg_sleep(30); EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $$`;
/** One that ignores it too, and finishes once it gets advisory lock 7. */
const FINISHES_ON_LOCK = `DO $$ BEGIN LOOP BEGIN PERFORM pg_advisory_xact_lock(7); EXIT; EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $$`;
const GRACE_MS = 300;
const NOTE = 'the statement went on 0.30s after the cancel, so sparkify ended its session (pg_terminate_backend), which rolled its transaction back';
const REJECTED = [{ file: 'a.json', line: 3, reason: 'expected a string', raw: '{"ts":x}' }];

let config: Config;
const opened: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  config = await loadTestConfig(MINI);
});
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close().catch(() => {});
});

async function open(through?: TcpProxy): Promise<Warehouse> {
  const wh = await Warehouse.open(through ? { ...config, cluster: { ...config.cluster, port: through.port } } : config, { cancelGraceMs: GRACE_MS });
  opened.push(wh);
  return wh;
}

async function proxy(): Promise<TcpProxy> {
  const started = await startTcpProxy({ host: config.cluster.host, port: config.cluster.port });
  opened.push(started);
  return started;
}

/** Waits until the backend runs the statement (seen from another session). */
async function untilRunning(observer: Warehouse, pid: number, sql: string): Promise<void> {
  await expect
    .poll(() => rows(observer, 'SELECT state, query FROM pg_stat_activity WHERE pid = $1', [pid]), { timeout: 15_000, interval: 20 })
    .toEqual([{ state: 'active', query: sql }]);
}

/** Runs the statement with a signal, and aborts it once the server runs it; settles with its result or error. */
async function runThenAbort(wh: Warehouse, observer: Warehouse, sql: string): Promise<{ pid: number; outcome: Promise<unknown> }> {
  const pid = wh.backendPid!;
  const controller = new AbortController();
  const outcome = wh.query(sql, [], controller.signal).then(
    () => 'finished',
    (error: unknown) => error,
  );
  await untilRunning(observer, pid, sql);
  controller.abort();
  return { pid, outcome };
}

describe('when the cancel does not stop the statement', () => {
  it('what is sent to the session meanwhile waits, and runs on the new session: a query, a canned query, a COPY', async () => {
    const [wh, observer] = [await open(), await open()];
    await wh.query(ensureLoadErrorsSql(POSTGRES_DDL));
    const { pid, outcome } = await runThenAbort(wh, observer, IGNORES_CANCEL);
    // Sent while the statement ignores the cancel, before its session is ended.
    const query = wh.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const canned = runQuery(wh, 'SELECT pg_backend_pid() AS pid');
    const copy = recordRejections(wh, STAGING_EVENTS, REJECTED);
    expect(await outcome).toEqual(new CancelledError(NOTE, true));
    const replaced = wh.backendPid;
    expect(replaced).not.toBe(pid);
    expect((await query).rows).toEqual([{ pid: replaced }]);
    expect((await canned).rows).toEqual([[replaced]]);
    await copy;
    expect(await rows(wh, 'SELECT table_name, source, line::int, reason FROM load_errors')).toEqual([
      { table_name: 'staging_events', source: 'a.json', line: 3, reason: 'expected a string' },
    ]);
  });

  it('a statement that finishes once the grace period is over: the query still waits for its session to be ended, and says so', async () => {
    const network = await proxy();
    const [wh, observer] = [await open(network), await open()];
    await observer.query('SELECT pg_advisory_lock(7)');
    await wh.query('BEGIN');
    await wh.query('CREATE TABLE cancel_probe (x INTEGER)');
    const pid = wh.backendPid!;
    // Just before pg_terminate_backend reaches the server, the statement gets its lock and finishes.
    network.whenSent('pg_terminate_backend', async () => {
      await observer.query('SELECT pg_advisory_unlock(7)');
      await expect
        .poll(() => rows(observer, 'SELECT state FROM pg_stat_activity WHERE pid = $1', [pid]), { timeout: 15_000, interval: 20 })
        .toEqual([{ state: 'idle in transaction' }]);
    });
    const { outcome } = await runThenAbort(wh, observer, FINISHES_ON_LOCK);
    // Its transaction, with the table it made, is gone: a result would say it was done.
    expect(await outcome).toEqual(new CancelledError(NOTE, true));
    expect(wh.backendPid).not.toBe(pid);
    expect(await rows(wh, "SELECT to_regclass('cancel_probe') AS t")).toEqual([{ t: null }]);
  });

  it('a session that was gone already (pg_terminate_backend answers false) is replaced without saying sparkify ended it', async () => {
    const network = await proxy();
    const [wh, observer] = [await open(network), await open()];
    const pid = wh.backendPid!;
    const controller = new AbortController();
    const outcome = wh.query(IGNORES_CANCEL, [], controller.signal).catch((error: unknown) => error);
    await untilRunning(observer, pid, IGNORES_CANCEL);
    // The connection falls silent and the server ends the session: sparkify cannot tell.
    network.silenceOpenConnections();
    expect(await rows(observer, 'SELECT pg_terminate_backend($1) AS ended', [pid])).toEqual([{ ended: true }]);
    await untilSessionEnded(observer, pid);
    controller.abort();
    expect(await outcome).toEqual(new CancelledError('cancelled', false));
    expect(wh.backendPid).not.toBe(pid);
    expect(await rows(wh, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('no new session can be opened: the cancel says the session was ended, then every use fails with one line (exit 1)', async () => {
    const network = await proxy();
    const [wh, observer] = [await open(network), await open()];
    // The server takes no new connection from the moment sparkify ends the session.
    network.whenSent('pg_terminate_backend', () => network.stopAccepting());
    const { outcome } = await runThenAbort(wh, observer, IGNORES_CANCEL);
    expect(await outcome).toEqual(new CancelledError(NOTE, true));
    const message = `sparkify ended its session to stop a cancelled statement, and no new one could be opened: cannot connect to 127.0.0.1:${network.port}: connection refused (is the server running and is [CLUSTER] DB_PORT right?)`;
    for (const use of [
      () => wh.query('SELECT 1'),
      () => wh.query('SELECT 1', [], new AbortController().signal),
      () => runQuery(wh, 'SELECT 1'),
      () => recordRejections(wh, STAGING_EVENTS, REJECTED),
      () => wh.readyClient(),
    ]) {
      const error = await use().then(
        () => 'no error',
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConnectionError);
      expect(describeFailure(error)).toEqual({ message, exitCode: 1 });
    }
  });
});

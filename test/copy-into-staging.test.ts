import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import pgCopy from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyBuffer } from '../src/etl/copy-buffer.js';
import { copyIntoStaging } from '../src/etl/copy-into-staging.js';
import { FileRows } from '../src/etl/file-rows.js';
import { IdleTime } from '../src/etl/idle-time.js';
import { RowsAhead } from '../src/etl/rows-ahead.js';
import { localSource, jsonFilesUnder } from '../src/etl/sources/local-source.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { freshSchemaSql } from '../src/engines/postgres/ddl.js';
import { STAGING_EVENTS } from '../src/sql/schema.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { EVENT_ROWS } from './support/events.js';
import { warehouseOn } from './support/open-warehouse.js';
import { rows, tempDir } from './support/warehouse.js';

describe('CopyBuffer', () => {
  it('writes again into a buffer given back, and keeps none smaller than its size', () => {
    const out = new CopyBuffer(1024);
    out.string('a'.repeat(700));
    const first = out.take();
    out.recycle(first);
    out.string('b');
    const second = out.take();
    expect(second.buffer).toBe(first.buffer);
    expect(second.toString()).toBe('b');

    const small = Buffer.alloc(10);
    out.recycle(small);
    out.string('c');
    expect(out.take().buffer).not.toBe(small.buffer);
  });
});

describe('copyIntoStaging', () => {
  let wh: Warehouse;
  let data: string;

  beforeAll(async () => {
    data = tempDir();
    // About 18 MB of JSON: over 20 flushes of half a megabyte, so that the buffers go round several times.
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 40_000, songs: 300, users: 60, seed: 5 });
    wh = await warehouseOn(data);
    for (const sql of freshSchemaSql()) await wh.query(sql);
  }, 60_000);
  afterAll(() => wh?.close());

  /** Locks staging_events from another session, so that a COPY into it waits; returns the release. */
  async function lockStagingEvents(): Promise<() => Promise<void>> {
    const { host, port, database, user, password } = wh.config.cluster;
    const blocker = new pg.Client({ host, port, database, user, password });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE staging_events IN ACCESS EXCLUSIVE MODE');
    return async () => {
      await blocker.query('COMMIT');
      await blocker.end();
    };
  }

  it('loads the same rows as one COPY of the whole text made beforehand, its buffers reused while the server holds them back', async () => {
    // The server waits for a lock before it reads any COPY data, so the stream
    // queues its 4 MB and more: a buffer written again too early would show.
    const release = await lockStagingEvents();
    const input = await localSource(path.join(data, 'log_data')).load();
    const loading = copyIntoStaging(wh, STAGING_EVENTS, input, EVENT_ROWS, { files: byPlace });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await release();
    const result = await loading;
    expect(result).toMatchObject({ rows: 40_000, filesDone: input.count, rejections: [] });
    expect(await differenceFromReference()).toEqual({ missing: 0, extra: 0, total: 40_000 });
  });

  it('makes rows ahead only in lent time, keeps them until its COPY may start, and then loads each exactly once', async () => {
    await wh.query('TRUNCATE staging_events');
    const input = await localSource(path.join(data, 'log_data')).load({ onThisThread: true });
    let pulled = 0;
    const counted = (async function* () {
      for await (const content of input.contents) {
        pulled++;
        yield content;
      }
    })();
    const idle = new IdleTime();
    let begin!: () => void;
    const started = new Promise<void>((resolve) => (begin = resolve));
    const reported: number[] = [];
    const loading = copyIntoStaging(wh, STAGING_EVENTS, { ...input, contents: counted }, EVENT_ROWS, {
      ahead: new RowsAhead({ idle, started, bytes: 1 << 20 }),
      files: byPlace,
      onProgress: (p) => reported.push(p.rows),
    });

    // Nothing lent: it waits with the first file.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pulled).toBe(1);
    // Lent while the connection runs another statement: it makes a megabyte of rows, then waits for its start.
    await idle.during(wh.query('SELECT pg_sleep(0.5)'));
    expect(pulled).toBeGreaterThan(1);
    expect(pulled).toBeLessThan(input.count);
    expect(await rows(wh, 'SELECT count(*)::int AS n FROM staging_events')).toEqual([{ n: 0 }]);
    expect(reported).toEqual([]);

    begin();
    expect(await loading).toMatchObject({ rows: 40_000, filesDone: input.count, rejections: [] });
    expect(pulled).toBe(input.count);
    expect(reported.at(-1)).toBe(40_000);
    expect(await differenceFromReference()).toEqual({ missing: 0, extra: 0, total: 40_000 });
  });

  /** Files numbered by their place in the folder (written as their rows' last field, staging_events.file_id). */
  const byPlace = { idOf: (file: { name: string }) => fileIds(file.name), loaded: () => {} };

  /** Each file's id, written as its rows' last field (staging_events.file_id): its place in the folder. */
  function fileIds(file: string): number {
    return jsonFilesUnder(path.join(data, 'log_data')).indexOf(file) + 1;
  }

  /** How staging_events differs from one COPY of the whole data's text (file ids included), made beforehand. */
  async function differenceFromReference() {
    const [made] = await rows<{ made: boolean }>(wh, "SELECT to_regclass('pg_temp.reference') IS NOT NULL AS made");
    if (!made!.made) {
      const text = new CopyBuffer();
      for (const file of jsonFilesUnder(path.join(data, 'log_data'))) {
        const fileRows = new FileRows(file, EVENT_ROWS, text, undefined, undefined, fileIds(file));
        fileRows.push(readFileSync(file));
        fileRows.end();
      }
      const whole = text.take();
      expect(whole.length).toBeGreaterThan(20 * 512 * 1024);
      await wh.query('CREATE TEMP TABLE reference (LIKE staging_events)');
      await pipeline(Readable.from([whole]), (await wh.readyClient()).query(pgCopy.from('COPY reference FROM STDIN')));
    }
    const [difference] = await rows<{ missing: number; extra: number; total: number }>(
      wh,
      `SELECT (SELECT count(*) FROM (TABLE reference EXCEPT ALL TABLE staging_events) a) AS missing,
              (SELECT count(*) FROM (TABLE staging_events EXCEPT ALL TABLE reference) b) AS extra,
              (SELECT count(*) FROM reference) AS total`,
    );
    return difference;
  }

  it("fails with the server's error, and no crash, when the server ends the COPY while rows are still queued", async () => {
    const release = await lockStagingEvents();
    await wh.query('SET statement_timeout = 300');
    try {
      const input = await localSource(path.join(data, 'log_data')).load();
      await expect(copyIntoStaging(wh, STAGING_EVENTS, input, EVENT_ROWS)).rejects.toThrow('canceling statement due to statement timeout');
    } finally {
      await release();
      await wh.query('RESET statement_timeout');
    }
    expect(await rows(wh, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it("fails with the server's error, and no crash, when the server refuses a row halfway through the data", async () => {
    const events = jsonFilesUnder(path.join(data, 'log_data')).flatMap((file) => readFileSync(file, 'utf8').split('\n'));
    const halfway = (JSON.parse(events[20_000]!) as { ts: number }).ts;
    await wh.query('TRUNCATE staging_events');
    await wh.query(`ALTER TABLE staging_events ADD CONSTRAINT before_halfway CHECK (ts < ${halfway})`);
    try {
      const input = await localSource(path.join(data, 'log_data')).load();
      await expect(copyIntoStaging(wh, STAGING_EVENTS, input, EVENT_ROWS)).rejects.toThrow('violates check constraint "before_halfway"');
    } finally {
      await wh.query('ALTER TABLE staging_events DROP CONSTRAINT before_halfway');
    }
    expect(await rows(wh, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});

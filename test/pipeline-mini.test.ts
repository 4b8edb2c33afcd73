import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../src/etl/runner.js';
import type { EtlEvent } from '../src/etl/events.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { MINI } from './support/fixtures.js';
import { warehouseOn } from './support/open-warehouse.js';
import { rows } from './support/warehouse.js';

// test/fixtures/mini: 12 events over two files (JSON lines without a final
// newline; BOM + CRLF + one pretty-printed object), 6 song files (one
// pretty-printed with CRLF, two sharing a song_id, two sharing title, artist
// and duration). Every figure below follows from those files by hand.
describe('transform semantics on the project fixture', () => {
  let wh: Warehouse;
  const events: EtlEvent[] = [];

  beforeAll(async () => {
    wh = await warehouseOn(MINI);
    const summary = await runPipeline(wh, { reset: true, onEvent: (e) => events.push(e) });
    expect(summary.status).toBe('passed');
  });
  afterAll(() => wh?.close());

  it('loads every file layout and counts the rows of every table', async () => {
    expect(await tableCounts(wh)).toEqual({
      staging_events: 12,
      staging_songs: 6,
      songplays: 8,
      users: 3,
      songs: 5,
      artists: 3,
      time: 7,
      load_errors: 0,
      load_history: 8,
      load_digests: 2,
    });
  });

  it('reports each stage in order with its rows', () => {
    const ends = events.filter((e) => e.type === 'stage-end');
    expect(ends.map((e) => [e.stage, e.status, e.rows, e.index, e.total])).toEqual([
      ['staging_events', 'done', 12, 1, 8],
      ['staging_songs', 'done', 6, 2, 8],
      ['songplays', 'done', 8, 3, 8],
      ['users', 'done', 3, 4, 8],
      ['songs', 'done', 5, 5, 8],
      ['artists', 'done', 3, 6, 8],
      ['time', 'done', 7, 7, 8],
      ['checks', 'done', 21, 8, 8],
    ]);
    expect(events[0]).toEqual({ type: 'run-start', stages: expect.any(Array), reset: true });
    expect(events.at(-1)).toMatchObject({ type: 'run-end', summary: { status: 'passed' } });
  });

  it('keeps every play, matching title + artist + duration, picking the lowest song_id among equals', async () => {
    expect(
      await rows(
        wh,
        `SELECT songplay_id, CAST(start_time AS TEXT) AS start_time, user_id, level, song_id, artist_id, session_id FROM songplays ORDER BY songplay_id`,
      ),
    ).toEqual([
      {
        songplay_id: 1,
        start_time: '2018-11-01 00:01:00.123',
        user_id: 10,
        level: 'free',
        song_id: 'SOMINI000000000001',
        artist_id: 'ARMINI00000000A001',
        session_id: 1,
      },
      {
        songplay_id: 2,
        start_time: '2018-11-01 01:00:00.5',
        user_id: 10,
        level: 'free',
        song_id: 'SOMINI000000000003',
        artist_id: 'ARMINI00000000B002',
        session_id: 1,
      },
      { songplay_id: 3, start_time: '2018-11-01 01:00:00.5', user_id: 20, level: 'paid', song_id: null, artist_id: null, session_id: 2 },
      {
        songplay_id: 4,
        start_time: '2018-11-01 03:00:00.999',
        user_id: 30,
        level: 'free',
        song_id: 'SOMINI000000000005',
        artist_id: 'ARMINI00000000C003',
        session_id: 4,
      },
      {
        songplay_id: 5,
        start_time: '2018-11-01 03:01:40',
        user_id: 20,
        level: 'paid',
        song_id: 'SOMINI000000000003',
        artist_id: 'ARMINI00000000B002',
        session_id: 2,
      },
      {
        songplay_id: 6,
        start_time: '2018-11-02 00:00:00',
        user_id: 10,
        level: 'paid',
        song_id: 'SOMINI000000000002',
        artist_id: 'ARMINI00000000A001',
        session_id: 5,
      },
      { songplay_id: 7, start_time: '2018-11-02 01:00:00', user_id: 30, level: 'free', song_id: null, artist_id: null, session_id: 6 },
      {
        songplay_id: 8,
        start_time: '2018-11-02 02:00:00',
        user_id: 10,
        level: 'paid',
        song_id: 'SOMINI000000000005',
        artist_id: 'ARMINI00000000C003',
        session_id: 5,
      },
    ]);
  });

  it('keeps location and user agent as the events have them, tabs, backslashes and quotes included', async () => {
    expect(await rows(wh, `SELECT DISTINCT user_id, location, user_agent FROM songplays ORDER BY user_id`)).toEqual([
      { user_id: 10, location: 'Lisbon, PT', user_agent: '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36"' },
      { user_id: 20, location: 'Tab\tTown, ST', user_agent: '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36"' },
      { user_id: 30, location: 'C:\\Town, XX', user_agent: '"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2"' },
    ]);
  });

  it('takes users from their latest event, and leaves out logged-out events', async () => {
    expect(await rows(wh, `SELECT * FROM users ORDER BY user_id`)).toEqual([
      { user_id: 10, first_name: 'Ana', last_name: 'Silva', gender: 'F', level: 'paid' },
      { user_id: 20, first_name: 'Bo', last_name: 'Berg', gender: 'M', level: 'paid' },
      { user_id: 30, first_name: 'Cy', last_name: "O'Neil", gender: 'M', level: 'free' },
    ]);
  });

  it('keeps one row per song_id and reads year 0 as unknown', async () => {
    expect(await rows(wh, `SELECT * FROM songs ORDER BY song_id`)).toEqual([
      { song_id: 'SOMINI000000000001', title: 'Sé "Quoted"', artist_id: 'ARMINI00000000A001', year: 2001, duration: 200.5 },
      { song_id: 'SOMINI000000000002', title: 'Second', artist_id: 'ARMINI00000000A001', year: null, duration: 180 },
      { song_id: 'SOMINI000000000003', title: 'Twin', artist_id: 'ARMINI00000000B002', year: 1999, duration: 150.25 },
      { song_id: 'SOMINI000000000004', title: 'Twin', artist_id: 'ARMINI00000000B002', year: 1999, duration: 150.25 },
      { song_id: 'SOMINI000000000005', title: 'Lonely', artist_id: 'ARMINI00000000C003', year: 2010, duration: 99.9 },
    ]);
  });

  it('keeps one row per artist, from the song file that says most about them', async () => {
    expect(await rows(wh, `SELECT * FROM artists ORDER BY artist_id`)).toEqual([
      { artist_id: 'ARMINI00000000A001', name: "Ana D'Arc", location: 'Lisbon', latitude: 38.7, longitude: -9.1 },
      { artist_id: 'ARMINI00000000B002', name: 'Twins Band', location: 'Leeds', latitude: null, longitude: null },
      { artist_id: 'ARMINI00000000C003', name: 'Cé Solo', location: null, latitude: null, longitude: null },
    ]);
  });

  it('splits each distinct start_time into hour, day, ISO week, month, year and weekday (0 = Sunday)', async () => {
    expect(
      await rows(wh, `SELECT CAST(start_time AS TEXT) AS start_time, "hour", "day", "week", "month", "year", weekday FROM "time" ORDER BY start_time`),
    ).toEqual([
      { start_time: '2018-11-01 00:01:00.123', hour: 0, day: 1, week: 44, month: 11, year: 2018, weekday: 4 },
      { start_time: '2018-11-01 01:00:00.5', hour: 1, day: 1, week: 44, month: 11, year: 2018, weekday: 4 },
      { start_time: '2018-11-01 03:00:00.999', hour: 3, day: 1, week: 44, month: 11, year: 2018, weekday: 4 },
      { start_time: '2018-11-01 03:01:40', hour: 3, day: 1, week: 44, month: 11, year: 2018, weekday: 4 },
      { start_time: '2018-11-02 00:00:00', hour: 0, day: 2, week: 44, month: 11, year: 2018, weekday: 5 },
      { start_time: '2018-11-02 01:00:00', hour: 1, day: 2, week: 44, month: 11, year: 2018, weekday: 5 },
      { start_time: '2018-11-02 02:00:00', hour: 2, day: 2, week: 44, month: 11, year: 2018, weekday: 5 },
    ]);
  });

  it('reads numbers given as strings and empty numeric fields as NULL', async () => {
    expect(await rows(wh, `SELECT sessionid, iteminsession, registration, userid FROM staging_events WHERE page = 'Logout'`)).toEqual([
      { sessionid: 7, iteminsession: 3, registration: null, userid: 20 },
    ]);
    expect(await rows(wh, `SELECT COUNT(*) AS n FROM staging_events WHERE userid IS NULL`)).toEqual([{ n: 1 }]);
  });

  it('is repeatable: running the pipeline again gives the same tables', async () => {
    const before = await rows(wh, `SELECT * FROM songplays ORDER BY songplay_id`);
    const summary = await runPipeline(wh);
    expect(summary.status).toBe('passed');
    expect(await rows(wh, `SELECT * FROM songplays ORDER BY songplay_id`)).toEqual(before);
    expect((await tableCounts(wh)).users).toBe(3);
  });
});

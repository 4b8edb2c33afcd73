import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../src/warehouse/connection.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { copyOfMini, MINI_COUNTS } from './support/fixtures.js';
import { openWarehouse, withWarehouse } from './support/open-warehouse.js';
import { runCli } from './support/run-cli.js';
import { rows, writeTestConfig } from './support/warehouse.js';

const DAY = 'log_data/2018/11/2018-11-01-mini-events.json';

/** The mini fixture with bad rows of every kind after its 7 good lines, and a song file holding an array. */
function spoiledData(): string {
  const dir = copyOfMini();
  const day = path.join(dir, DAY);
  const good = readFileSync(day, 'utf8').trim().split('\n')[0]!;
  appendFileSync(
    day,
    [
      '', // the file ends without a newline: its 8th line is its last
      good.replace('"ts":', '"ts" '), // line 9
      good.replace(/"ts":\d+/, '"ts":"abc"'), // line 10
      good.replace('{', '{"mood":"happy",'), // line 11
      good.replace(/,"gender":"[^"]*"/, ''), // line 12
      `[${good}]`, // line 13
      good.slice(0, 120), // line 14: cut in the middle of a string
      good.replace(/"sessionId":\d+/, '"sessionId":1.5e400'), // line 15
    ].join('\n'),
  );
  const song = path.join(dir, 'song_data/A/A/A/TRAAAAA128F0000001.json');
  writeFileSync(song, `[\n  ${readFileSync(song, 'utf8').trim()}\n]\n`);
  return dir;
}

describe('--max-errors', () => {
  let dataDir: string;
  let cfg: string;
  let wh: Warehouse;
  beforeAll(async () => {
    dataDir = spoiledData();
    cfg = (await writeTestConfig(dataDir)).file;
    wh = await openWarehouse(cfg);
  });
  afterAll(() => wh?.close());

  it('by default fails the run at the first bad row, naming its file and line', async () => {
    const { code, stderr } = await runCli(['reload', '--config', cfg]);
    expect(code).toBe(1);
    expect(stderr).toContain(`  error: ${path.join(dataDir, DAY)}:9: line 9, column 260: expected ':' but found '1'\n`);
  });

  it('loads the good rows and records every bad one in load_errors', async () => {
    const { code, stderr } = await runCli(['reload', '--max-errors', '10', '--config', cfg]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/1 of 8 OK staging_events \.+ 12 rows, [\d.]+ KB, 7 rejected \(in load_errors\) in/);
    expect(stderr).toMatch(/2 of 8 OK staging_songs \.+ 5 rows, [\d.]+ KB, 1 rejected \(in load_errors\) in/);
    const recorded = await rows<{ table_name: string; source: string; line: string; reason: string; raw_line: string }>(
      wh,
      'SELECT table_name, source, line, reason, raw_line FROM load_errors ORDER BY table_name, line',
    );
    const events = path.join(dataDir, DAY);
    const array = 'line 1, column 1: expected a JSON object but found an array (each object must stand on its own, not inside [ ])';
    expect(recorded.map((r) => [r.table_name, r.source, Number(r.line), r.reason])).toEqual([
      ['staging_events', events, 9, "line 9, column 260: expected ':' but found '1'"],
      ['staging_events', events, 10, 'ts: expected a bigint, got "abc"'],
      ['staging_events', events, 11, 'unknown key "mood"'],
      ['staging_events', events, 12, 'missing field "gender"'],
      ['staging_events', events, 13, array.replace('line 1,', 'line 13,')],
      ['staging_events', events, 14, "line 14, column 121: expected '\"' to close the string but found the end of the line"],
      ['staging_events', events, 15, 'sessionid: expected an integer, got null'],
      ['staging_songs', path.join(dataDir, 'song_data/A/A/A/TRAAAAA128F0000001.json'), 1, array],
    ]);
    expect(recorded[1]!.raw_line).toContain('"ts":"abc"');
    expect(recorded[5]!.raw_line).toBe(readFileSync(path.join(dataDir, DAY), 'utf8').split('\n')[13]);
    expect(recorded[5]!.raw_line).toHaveLength(120);
    // The song file that is an array was rejected whole: it is not recorded as loaded (the next incremental run tries it again).
    expect(await tableCounts(wh)).toEqual({ ...MINI_COUNTS, staging_songs: 5, load_errors: 8, load_history: 7 });
  });

  it('fails when there are more bad rows than allowed, and leaves the warehouse as it was', async () => {
    const before = await tableCounts(wh);
    const { code, stderr } = await runCli(['reload', '--max-errors', '3', '--config', cfg]);
    expect(code).toBe(1);
    const events = path.join(dataDir, DAY);
    expect(stderr).toContain(`error: more than 3 bad rows (--max-errors); the first: ${events}:9: line 9, column 260: expected ':' but found '1'; `);
    expect(stderr).toContain(`; this one: ${events}:12: missing field "gender"\n`);
    expect(await tableCounts(wh)).toEqual(before);
  });

  it('a line cut in the middle costs only that line: the good lines after it load; without --max-errors it fails the run, which changes nothing', async () => {
    const dir = copyOfMini();
    const day = path.join(dir, DAY);
    const lines = readFileSync(day, 'utf8').trim().split('\n');
    const cut = '{"artist":null,"auth":"Logged In",t';
    writeFileSync(day, [...lines.slice(0, 4), cut, ...lines.slice(4)].join('\n'));
    const config = (await writeTestConfig(dir)).file;
    const { code, stderr } = await runCli(['reload', '--max-errors', '1', '--config', config]);
    expect(stderr).not.toContain('error:');
    expect(code).toBe(0);
    await withWarehouse(config, async (other) => {
      expect(await rows(other, 'SELECT source, line::int, reason, raw_line FROM load_errors')).toEqual([
        { source: day, line: 5, reason: "line 5, column 35: expected a string but found 't'", raw_line: cut },
      ]);
      expect(await tableCounts(other)).toEqual({ ...MINI_COUNTS, load_errors: 1 });
      const failed = await runCli(['reload', '--config', config]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`  error: ${day}:5: line 5, column 35: expected a string but found 't'\n`);
      expect(await tableCounts(other)).toEqual({ ...MINI_COUNTS, load_errors: 1 });
    });
  });

  it('on a load_errors of an earlier version (text column raw), an etl says to reload, and a reload makes it anew', async () => {
    expect((await runCli(['reload', '--max-errors', '10', '--config', cfg])).code).toBe(0);
    await wh.query('ALTER TABLE load_errors RENAME COLUMN raw_line TO raw');
    const etl = await runCli(['etl', '--stage', 'staging_events', '--max-errors', '10', '--config', cfg]);
    expect(etl.code).toBe(1);
    expect(etl.stderr).toContain(
      '  error: column "raw_line" of relation "load_errors" does not exist: load_errors was made by an earlier version of sparkify (run sparkify reload once to make it anew)\n',
    );
    expect((await runCli(['reload', '--max-errors', '10', '--config', cfg])).code).toBe(0);
    expect(await rows(wh, 'SELECT COUNT(raw_line)::int AS n FROM load_errors')).toEqual([{ n: 8 }]);
  });

  it('keeps a rejected row of 10 MB to its first 1,024 characters', async () => {
    const dir = copyOfMini();
    const day = path.join(dir, DAY);
    const good = readFileSync(day, 'utf8').trim().split('\n')[0]!;
    appendFileSync(day, `\n${good.replace(/"ts":\d+/, `"ts":"${'9'.repeat(10 << 20)}"`)}`);
    const config = (await writeTestConfig(dir)).file;
    const { code, stderr } = await runCli(['reload', '--max-errors', '1', '--config', config]);
    expect(stderr).not.toContain('error:');
    expect(code).toBe(0);
    await withWarehouse(config, async (other) => {
      const [row] = await rows<{ line: string; reason: string; raw_line: string }>(other, 'SELECT line, reason, raw_line FROM load_errors');
      expect(Number(row!.line)).toBe(9);
      expect(row!.reason).toBe(`ts: expected a bigint, got "${'9'.repeat(39)}…`);
      expect(row!.raw_line).toHaveLength(1024);
      expect((await tableCounts(other)).staging_events).toBe(12);
    });
  });
});

describe('bad files and folders', () => {
  const cases: [string, (dir: string) => void, (dir: string) => string][] = [
    [
      'an empty file',
      (d) => writeFileSync(path.join(d, 'log_data/2018/11/2018-11-03-mini-events.json'), ''),
      (d) => `${path.join(d, 'log_data/2018/11/2018-11-03-mini-events.json')}: holds no JSON object (the file is empty)`,
    ],
    [
      'a file of blank lines',
      (d) => writeFileSync(path.join(d, 'song_data/A/A/A/TRAAAAA128F0000009.json'), '\n  \r\n'),
      (d) => `${path.join(d, 'song_data/A/A/A/TRAAAAA128F0000009.json')}: holds no JSON object (the file is empty)`,
    ],
    ['a missing folder', (d) => rmSync(path.join(d, 'song_data'), { recursive: true }), (d) => `${path.join(d, 'song_data')}: no such file or folder`],
    [
      'a folder without .json files',
      (d) => {
        rmSync(path.join(d, 'log_data'), { recursive: true });
        mkdirSync(path.join(d, 'log_data/2018'), { recursive: true });
        writeFileSync(path.join(d, 'log_data/2018/README.txt'), 'nothing here');
      },
      (d) => `${path.join(d, 'log_data')}: no .json files in this folder`,
    ],
    [
      'invalid UTF-8',
      (d) => appendFileSync(path.join(d, DAY), Buffer.from([0x0a, 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      (d) => `${path.join(d, DAY)}: is not valid UTF-8`,
    ],
  ];

  it.each(cases)('%s fails the run, naming it, and changes nothing', async (_, spoil, message) => {
    const dir = copyOfMini();
    const { file } = await writeTestConfig(dir);
    expect((await runCli(['reload', '--config', file])).code).toBe(0);
    spoil(dir);
    const { code, stderr } = await runCli(['reload', '--config', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`  error: ${message(dir)}\n`);
    expect(await withWarehouse(file, tableCounts)).toEqual(MINI_COUNTS);
  });

  it('an empty file is one rejected row with --max-errors', async () => {
    const dir = copyOfMini();
    const empty = path.join(dir, 'log_data/2018/11/2018-11-03-mini-events.json');
    writeFileSync(empty, '');
    const { file } = await writeTestConfig(dir);
    expect((await runCli(['reload', '--max-errors', '1', '--config', file])).code).toBe(0);
    expect(await withWarehouse(file, (wh) => rows(wh, 'SELECT table_name, source, line::int, reason, raw_line FROM load_errors'))).toEqual([
      { table_name: 'staging_events', source: empty, line: 1, reason: 'holds no JSON object (the file is empty)', raw_line: '' },
    ]);
  });
});

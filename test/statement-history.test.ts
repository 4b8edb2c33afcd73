import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendHistory, HISTORY_LIMIT, historyFile, readHistory } from '../src/history/statement-history.js';
import { loadConfigText } from './support/config-file.js';
import { tempDir } from './support/warehouse.js';

const fileIn = (dir = tempDir()) => path.join(dir, 'history', 'w.jsonl');

describe('the statement history of a warehouse', () => {
  it('lives under .sparkify/history/, one file per warehouse', () => {
    const embedded = loadConfigText('');
    expect(historyFile(embedded)).toBe(path.join(embedded.stateDir, 'history', `embedded-${embedded.cluster.database}.jsonl`));
    const postgres = loadConfigText('[CLUSTER]\nHOST=db.internal\nDB_NAME=dwh\nDB_PORT=6432\n');
    expect(historyFile(postgres)).toBe(path.join(postgres.stateDir, 'history', 'postgres-db.internal-6432-dwh.jsonl'));
    const other = loadConfigText('[CLUSTER]\nHOST=db.internal\nDB_NAME=other\nDB_PORT=6432\n');
    expect(historyFile(other)).not.toBe(historyFile(postgres));
  });

  it('keeps the statements run, oldest first, across a restart (a new read of the file)', () => {
    const file = fileIn();
    expect(readHistory(file)).toEqual({ statements: [], problem: null });
    appendHistory(file, 'SELECT 1;', new Date('2026-01-02T03:04:05Z'));
    appendHistory(file, '  SELECT *\n  FROM songs;\n\n');
    appendHistory(file, 'SELECT *\n  FROM songs;');
    appendHistory(file, '   ');
    expect(readHistory(file)).toEqual({ statements: ['SELECT 1;', 'SELECT *\n  FROM songs;'], problem: null });
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('{"at":"2026-01-02T03:04:05.000Z","sql":"SELECT 1;"}');
    // Written whole by a rename: no temporary file is left.
    expect(readdirSync(path.dirname(file))).toEqual(['w.jsonl']);
  });

  it(`keeps the latest ${HISTORY_LIMIT} statements`, () => {
    const file = fileIn();
    const lines = Array.from({ length: HISTORY_LIMIT + 4 }, (_, i) => JSON.stringify({ at: '2026-01-01T00:00:00.000Z', sql: `SELECT ${i};` }));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { statements } = appendHistory(file, 'SELECT 504;');
    expect(statements).toHaveLength(HISTORY_LIMIT);
    expect(statements[0]).toBe('SELECT 5;');
    expect(statements.at(-1)).toBe('SELECT 504;');
    expect(readHistory(file).statements).toEqual(statements);
  });

  it('skips a line it cannot read, says which, and keeps it in the file; a file of garbage is an empty history', () => {
    const file = fileIn();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"at":"2026-01-01T00:00:00.000Z","sql":"SELECT 1;"}\n\nnot json\n{"sql":42}\n{"at":"2026-01-01T00:00:00.000Z","sql":"SELECT 2;"}\n');
    expect(readHistory(file)).toEqual({
      statements: ['SELECT 1;', 'SELECT 2;'],
      problem: `history ${file}:3: 2 lines are not a statement sparkify wrote: skipped, and kept in the file`,
    });
    appendHistory(file, 'SELECT 3;');
    expect(readFileSync(file, 'utf8')).toContain('\nnot json\n{"sql":42}\n');
    expect(readHistory(file).statements).toEqual(['SELECT 1;', 'SELECT 2;', 'SELECT 3;']);

    writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x0a, 0x5b]));
    expect(readHistory(file).statements).toEqual([]);
    expect(readHistory(file).problem).toBe(`history ${file}:1: 2 lines are not a statement sparkify wrote: skipped, and kept in the file`);
  });

  it('goes on without a file it cannot write, saying why in one line', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'history'), 'a file where the folder would be');
    const file = path.join(dir, 'history', 'w.jsonl');
    expect(appendHistory(file, 'SELECT 1;')).toEqual({
      statements: ['SELECT 1;'],
      problem: `history ${file}: cannot write it: a file stands where a folder of the path should be`,
    });
    expect(readHistory(file)).toEqual({ statements: [], problem: `history ${file}: cannot read it: a part of the path is not a folder` });
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });

  it('two apps on one warehouse both keep their statements', () => {
    const file = fileIn();
    appendHistory(file, 'SELECT 1;');
    const seenByFirst = readHistory(file).statements;
    appendHistory(file, 'SELECT 2;'); // the second app
    expect(appendHistory(file, 'SELECT 3;').statements).toEqual([...seenByFirst, 'SELECT 2;', 'SELECT 3;']);
  });

  it('reads back what was added: trimmed, blank ones and repeats of the latest left out (fast-check)', () => {
    const statement = fc.oneof(fc.constantFrom('SELECT 1;', 'SELECT 2;', ' ', '\n'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 25 }), (added) => {
        const file = fileIn();
        for (const s of added) appendHistory(file, s);
        const expected: string[] = [];
        for (const s of added.map((a) => a.trim())) if (s !== '' && expected.at(-1) !== s) expected.push(s);
        expect(readHistory(file)).toEqual({ statements: expected, problem: null });
      }),
      { numRuns: 60 },
    );
  });
});

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFormatOf, exportPath, exportProblem, otherFormat, writeResult } from '../src/export/result-file.js';
import type { QueryResult } from '../src/queries/run-query.js';
import { tempDir } from './support/warehouse.js';

const result: QueryResult = {
  columns: [
    { name: 'title', numeric: false, type: 'text' },
    { name: 'plays', numeric: true, type: 'bigint' },
  ],
  rows: [
    ['Sé "Quoted", live', 1234],
    [null, null],
  ],
  ms: 3,
};

describe('a result exported to a file', () => {
  it('by its name: .csv or .json, in any case; Tab gives the other', () => {
    expect([exportFormatOf('a.csv'), exportFormatOf('A.JSON'), exportFormatOf('a.txt'), exportFormatOf('csv')]).toEqual(['csv', 'json', null, null]);
    expect([otherFormat('top.csv'), otherFormat('top.json'), otherFormat('top'), otherFormat('top.txt')]).toEqual([
      'top.json',
      'top.csv',
      'top.csv',
      'top.txt.csv',
    ]);
  });

  it('where the name says: ~/ is the home folder, a relative name is in the folder sparkify was started in', () => {
    expect(exportPath('out.csv', '/srv/here', '/var/ana')).toBe('/srv/here/out.csv');
    expect(exportPath('~/out.csv', '/srv/here', '/var/ana')).toBe('/var/ana/out.csv');
    expect(exportPath('../x/out.json', '/srv/here', '/var/ana')).toBe('/srv/x/out.json');
    expect(exportPath('/tmp/out.csv', '/srv/here', '/var/ana')).toBe('/tmp/out.csv');
  });

  it('writes CSV and JSON exactly as sparkify query --format does, and says how much', () => {
    const dir = tempDir();
    const csv = writeResult(result, path.join(dir, 'top.csv'));
    const csvText = 'title,plays\r\n"Sé ""Quoted"", live",1234\r\n,\r\n';
    expect(readFileSync(path.join(dir, 'top.csv'), 'utf8')).toBe(csvText);
    expect(csv).toEqual({ file: path.join(dir, 'top.csv'), format: 'csv', rows: 2, bytes: Buffer.byteLength(csvText) });
    writeResult(result, path.join(dir, 'top.json'));
    expect(readFileSync(path.join(dir, 'top.json'), 'utf8')).toBe(
      '[\n  {\n    "title": "Sé \\"Quoted\\", live",\n    "plays": 1234\n  },\n  {\n    "title": null,\n    "plays": null\n  }\n]\n',
    );
    expect(readdirSync(dir).sort()).toEqual(['top.csv', 'top.json']);
  });

  it('refuses, in one line naming the file, a name without a format, a missing folder, a folder, a path through a file', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub.csv'));
    writeFileSync(path.join(dir, 'plain'), 'x');
    expect(exportProblem(path.join(dir, 'top.txt'))).toBe('top.txt: give the file a .csv or .json name');
    expect(exportProblem(path.join(dir, 'no', 'top.csv'))).toBe(
      `cannot write ${path.join(dir, 'no', 'top.csv')}: the folder ${path.join(dir, 'no')} does not exist`,
    );
    expect(exportProblem(path.join(dir, 'sub.csv'))).toBe(`cannot write ${path.join(dir, 'sub.csv')}: it is a folder`);
    expect(() => writeResult(result, path.join(dir, 'plain', 'top.csv'))).toThrow(
      new Error(`cannot write ${path.join(dir, 'plain', 'top.csv')}: a part of the path is not a folder`),
    );
    expect(readdirSync(dir).sort()).toEqual(['plain', 'sub.csv']);
  });

  it('replaces a file whole: a failed write leaves the old one as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, 'top.csv');
    writeFileSync(file, 'old');
    // A folder named as the temporary file makes the write fail after the checks.
    mkdirSync(path.join(dir, `.top.csv.${process.pid}.tmp`));
    expect(() => writeResult(result, file)).toThrow(new Error(`cannot write ${file}: it is a folder`));
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});

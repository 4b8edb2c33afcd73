import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../src/etl/runner.js';
import { MINI } from './support/fixtures.js';
import { withWarehouse } from './support/open-warehouse.js';
import { hasTmux, tmuxServer } from './support/tmux.js';
import { tempDir, writeTestConfig } from './support/warehouse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmux = tmuxServer(`sparkify-sql-${process.pid}`);
afterAll(() => tmux.kill());

const STATEMENT = 'SELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level;';
// tmux takes a ; that ends an argument as the end of its command: \; sends the character.
const TYPED = `${STATEMENT.slice(0, -1)}\\;`;
const RESULT_CSV = 'level,n\r\nfree,1\r\npaid,2\r\n';

/** The row of the editor's box that holds `text`, as the terminal shows it at `columns`. */
const editorRow = (text: string, columns: number) => `│ ${text.padEnd(columns - 4)} │`;

describe.runIf(hasTmux())('the SQL screen in a terminal, through dist/cli.js', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
  ] as const) {
    it(`at ${columns}×${rows}: 5, a statement and Enter show its table; e exports it; Ctrl-P recalls it after a restart`, async () => {
      const { file } = await writeTestConfig(MINI);
      await withWarehouse(file, (wh) => runPipeline(wh, { reset: true }));
      const here = tempDir();
      const start = (target: string) =>
        tmux.open(target, `cd ${here} && env -u CI node ${ROOT}dist/cli.js --config ${file}; echo "exited $?"; sleep 30`, [columns, rows]);
      let target = `first${columns}`;
      start(target);
      await tmux.waitFor(target, (s) => s.includes('● connected'), 'the connection');

      tmux.keys(target, '5');
      const opened = await tmux.waitFor(target, (s) => s.includes('SQL read-only · 10 tables for Tab'), 'the SQL screen');
      expect(opened).toMatch(/ 4 Queries {3}5 SQL /);
      expect(opened).toContain('esc cancel the statement, or leave the editor  pgup/pgdn scroll  ctrl-c quit');
      tmux.keys(target, TYPED, 'Enter');
      const screen = await tmux.waitFor(target, (s) => s.includes('rows 1–2 of 2'), 'the result');
      const lines = screen.split('\n');
      expect(lines).toContain(editorRow(STATEMENT, columns));
      const tag = lines.indexOf('✓ SELECT 2');
      expect(lines.slice(tag, tag + 9)).toEqual([
        '✓ SELECT 2',
        '┌───────┬───┐',
        '│ level │ n │',
        '├───────┼───┤',
        '│ free  │ 1 │',
        '│ paid  │ 2 │',
        '└───────┴───┘',
        expect.stringMatching(/^rows 1–2 of 2 · \d+\.\d\ds$/),
        '',
      ]);
      expect(lines.every((line) => line.length <= columns)).toBe(true);
      // Nothing scrolled off: the tab bar is the first line, the footer's last key is on screen.
      expect(lines[0]).toMatch(/^sparkify {2}1 Home {3}2 Schema {3}3 ETL {3}4 Queries {3}5 SQL +postgres · /);
      expect(screen).toContain('ctrl-c quit');

      // Esc leaves the editor; e offers result.csv, and Enter writes it in the folder sparkify runs in.
      tmux.keys(target, 'Escape');
      await tmux.waitFor(target, (s) => s.includes('enter edit  w writes on/off'), 'the screen keys');
      tmux.keys(target, 'e');
      expect(await tmux.waitFor(target, (s) => s.includes('Export 2 rows to'), 'the export prompt')).toContain('› result.csv');
      tmux.keys(target, 'Enter');
      const csv = path.join(here, 'result.csv');
      await tmux.waitFor(target, (s) => s.includes(`Exported 2 rows (CSV, ${RESULT_CSV.length} B) to ${csv}`), 'the export');
      expect(readFileSync(csv, 'utf8')).toBe(RESULT_CSV);

      tmux.keys(target, 'q');
      await tmux.waitFor(target, (s) => s.includes('exited 0'), 'the exit');

      // Started again on the same warehouse: the history file has the statement.
      target = `again${columns}`;
      start(target);
      await tmux.waitFor(target, (s) => s.includes('● connected'), 'the connection again');
      tmux.keys(target, '5');
      await tmux.waitFor(target, (s) => s.includes('SQL read-only · 10 tables for Tab'), 'the SQL screen again');
      tmux.keys(target, 'C-p');
      await tmux.waitFor(target, (s) => s.split('\n').includes(editorRow(STATEMENT, columns)), 'the statement recalled');
      tmux.keys(target, 'Enter');
      const again = await tmux.waitFor(target, (s) => s.includes('rows 1–2 of 2'), 'the result again');
      expect(again).toContain('│ free  │ 1 │\n│ paid  │ 2 │');
      tmux.keys(target, 'Escape');
      await tmux.waitFor(target, (s) => s.includes('Enter edits'), 'the editor left');
      tmux.keys(target, 'q');
      await tmux.waitFor(target, (s) => s.includes('exited 0'), 'the exit again');
    });
  }
});

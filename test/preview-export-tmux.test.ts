import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../src/etl/runner.js';
import { formatBytes } from '../src/format/numbers.js';
import { MINI } from './support/fixtures.js';
import { withWarehouse } from './support/open-warehouse.js';
import { hasTmux, tmuxServer } from './support/tmux.js';
import { tempDir, writeTestConfig } from './support/warehouse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmux = tmuxServer(`sparkify-preview-${process.pid}`);
afterAll(() => tmux.kill());

const USERS_CSV = "user_id,first_name,last_name,gender,level\r\n10,Ana,Silva,F,paid\r\n20,Bo,Berg,M,paid\r\n30,Cy,O'Neil,M,free\r\n";

describe.runIf(hasTmux())('the app in a terminal of 80×24: a table preview and its export', () => {
  it('Enter on users shows its rows, types, count and size; e writes them to CSV, then JSON, in the folder sparkify runs in', async () => {
    const { file } = await writeTestConfig(MINI);
    const size = await withWarehouse(file, async (wh) => {
      await runPipeline(wh, { reset: true });
      return formatBytes(Number((await wh.query<{ n: string }>(`SELECT pg_total_relation_size('users') AS n`)).rows[0]!.n));
    });
    const here = tempDir();
    tmux.open('app', `cd ${here} && env -u CI node ${ROOT}dist/cli.js --config ${file}; echo "exited $?"; sleep 30`, [80, 24]);
    await tmux.waitFor('app', (s) => s.includes('● connected'), 'the connection');

    // The help fits the terminal, whole: each section's title in a column beside its keys, none drawn over another.
    tmux.keys('app', '?');
    const help = await tmux.waitFor('app', (s) => s.includes('? or Esc closes this help'), 'the help');
    expect(help).toMatch(/^│ Keys · \? or Esc closes this help +│$/m);
    const titles = help.split('\n').flatMap((line) => /^│ (Everywhere|Home|Schema|ETL|Queries|SQL) +\S/.exec(line)?.[1] ?? []);
    expect(titles).toEqual(['Everywhere', 'Home', 'Schema', 'ETL', 'Queries', 'SQL']);
    expect(help).toMatch(/^│ Schema {6}↑↓ select {2}enter preview rows {2}e export {2}esc back +│\n│ {13}x reset schema +│$/m);
    expect(help).toMatch(/^│ {13}ctrl-c cancel a run; again to quit +│$/m);
    expect(help).toMatch(/^│ SQL {9}enter after ; \/ ctrl-r run {2}tab complete {2}ctrl-p\/n history +│$/m);
    expect(help).toMatch(/^╰─{78}╯$/m);
    tmux.keys('app', 'Escape');
    await tmux.waitFor('app', (s) => !s.includes('? or Esc closes this help'), 'the help closed');

    tmux.keys('app', '2');
    await tmux.waitFor('app', (s) => s.includes('▸ staging_events staging 12 rows'), 'the schema screen');
    tmux.keys('app', 'Down', 'Down', 'Down');
    await tmux.waitFor('app', (s) => s.includes('▸ users dimension 3 rows'), 'users selected');
    tmux.keys('app', 'Enter');
    const preview = await tmux.waitFor('app', (s) => s.includes('rows 1–3 of 3'), 'the preview');
    const lines = preview.split('\n');
    const title = lines.findIndex((l) => l.startsWith('users '));
    expect(lines.slice(title, title + 11)).toEqual([
      `users 3 rows · ${size} on disk`,
      '┌─────────┬────────────┬───────────┬────────┬───────┐',
      '│ user_id │ first_name │ last_name │ gender │ level │',
      '│ integer │ text       │ text      │ text   │ text  │',
      '├─────────┼────────────┼───────────┼────────┼───────┤',
      '│      10 │ Ana        │ Silva     │ F      │ paid  │',
      '│      20 │ Bo         │ Berg      │ M      │ paid  │',
      "│      30 │ Cy         │ O'Neil    │ M      │ free  │",
      '└─────────┴────────────┴───────────┴────────┴───────┘',
      expect.stringMatching(/^rows 1–3 of 3 · \d+\.\d\ds$/),
      '',
    ]);
    expect(preview).toContain('e export');
    expect(preview.split('\n').every((line) => line.length <= 80)).toBe(true);

    tmux.keys('app', 'e');
    expect(await tmux.waitFor('app', (s) => s.includes('Export 3 rows to'), 'the export prompt')).toContain('› users.csv');
    tmux.keys('app', 'Enter');
    const csv = path.join(here, 'users.csv');
    await tmux.waitFor('app', (s) => s.includes(`Exported 3 rows (CSV, ${USERS_CSV.length} B) to ${csv}`), 'the CSV export');
    expect(readFileSync(csv, 'utf8')).toBe(USERS_CSV);

    tmux.keys('app', 'e');
    await tmux.waitFor('app', (s) => s.includes('› users.csv'), 'the prompt again');
    tmux.keys('app', 'Tab');
    await tmux.waitFor('app', (s) => s.includes('› users.json'), 'the JSON name');
    tmux.keys('app', 'Enter');
    const json = path.join(here, 'users.json');
    await tmux.waitFor('app', (s) => s.includes(`B) to ${json}`), 'the JSON export');
    expect(readFileSync(json, 'utf8')).toBe(
      `[\n${[
        ['10', 'Ana', 'Silva', 'F', 'paid'],
        ['20', 'Bo', 'Berg', 'M', 'paid'],
        ['30', 'Cy', "O'Neil", 'M', 'free'],
      ]
        .map(
          ([id, first, last, gender, level]) =>
            `  {\n    "user_id": ${id},\n    "first_name": "${first}",\n    "last_name": "${last}",\n    "gender": "${gender}",\n    "level": "${level}"\n  }`,
        )
        .join(',\n')}\n]\n`,
    );

    // A table wider than the terminal: the columns that fit, ← and → for the others.
    tmux.keys('app', 'Escape');
    await tmux.waitFor('app', (s) => s.includes('▸ users dimension'), 'the tables again');
    tmux.keys('app', 'Up', 'Up', 'Up', 'Enter');
    const wide = await tmux.waitFor('app', (s) => s.includes('rows 1–11 of 12'), 'the staging_events preview');
    expect(wide).toMatch(/^staging_events 12 rows · [\d.]+ KB on disk$/m);
    expect(wide).toMatch(/│ artist +│ auth +│/);
    const shown = /columns 1–(\d+) of 19 \(←→\)/.exec(wide)![1]!;
    tmux.keys('app', 'Right');
    const scrolled = await tmux.waitFor('app', (s) => s.includes(`columns 2–`), 'the next column');
    expect(scrolled).toMatch(/│ auth +│/);
    expect(scrolled).not.toMatch(/│ artist +│/);
    expect(Number(shown)).toBeGreaterThan(1);
    expect(scrolled.split('\n').every((line) => line.length <= 80)).toBe(true);

    tmux.keys('app', 'q');
    await tmux.waitFor('app', (s) => s.includes('exited 0'), 'the exit');
  });
});

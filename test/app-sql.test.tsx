import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { addBigLog, copyOfMini, MINI_COUNTS } from './support/fixtures.js';
import { KEY, press, waitForFrame } from './support/ink.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { withWarehouse } from './support/open-warehouse.js';

let mounted: ReturnType<typeof render>[] = [];

afterEach(async () => {
  for (const app of mounted) app.unmount();
  mounted = [];
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the warehouse close
});

type Rendered = ReturnType<typeof render>;

const CTRL = { a: '\u0001', p: '\u0010', r: '\u0012' };
const DELETE = '\u001b[3~';

async function connectedApp(configPath: string): Promise<Rendered> {
  const app = render(<App configOptions={{ configPath, env: {} }} />);
  mounted.push(app);
  await waitForFrame(app, (f) => f.includes('● connected'));
  return app;
}

/** Key 5: the SQL screen, its editor taking the keys, once the catalog is read (Tab has names). */
async function openSqlScreen(app: Rendered): Promise<string> {
  await press(app, '5');
  return waitForFrame(app, (f) => /^SQL read-only · \d+ tables for Tab$/m.test(f));
}

/** The text rows inside the editor's border, trailing spaces cut. */
const editorRows = (frame: string) =>
  stripVTControlCharacters(frame)
    .split('\n')
    .filter((l) => /^│ .* │$/.test(l) && !/ │ /.test(l.slice(2, -2)))
    .map((l) => l.slice(2, -1).trimEnd());

/** Empties the editor (its text is one line here): Ctrl-A, then Delete to the end. */
async function clearEditor(app: Rendered, length = 120): Promise<void> {
  await press(app, CTRL.a, DELETE.repeat(length));
  await waitForFrame(app, (f) => editorRows(f)[0] === '');
}

/** The rows of a users-count query, through a session of the test's own. */
const userIds = (file: string) =>
  withWarehouse(file, async (wh) => (await wh.query<{ user_id: number }>('SELECT user_id FROM users ORDER BY user_id')).rows.map((r) => r.user_id));

describe('the SQL screen (5)', () => {
  it('types a statement, completes a table name with Tab, runs it on Enter after ;, and pages the result', async () => {
    const app = await connectedApp(await loadedConfig());
    const opened = await openSqlScreen(app);
    expect(opened).toContain(' 5 SQL ');
    expect(opened).toContain(`SQL read-only · ${Object.keys(MINI_COUNTS).length} tables for Tab`);
    expect(opened).toContain('esc cancel the statement, or leave the editor  pgup/pgdn scroll  ctrl-c quit');
    await press(app, 'SELECT songplay_id, level FROM songp');
    await waitForFrame(app, (f) => editorRows(f)[0] === 'SELECT songplay_id, level FROM songp');
    await press(app, KEY.tab);
    await waitForFrame(app, (f) => editorRows(f)[0] === 'SELECT songplay_id, level FROM songplays');
    // Enter before the closing ; is a new line; after it, the text runs.
    await press(app, KEY.enter, 'ORDER BY songplay_id;');
    await waitForFrame(app, (f) => editorRows(f)[1] === 'ORDER BY songplay_id;');
    await press(app, KEY.enter);
    let frame = await waitForFrame(app, (f) => f.includes('rows 1–5 of 8'));
    const lines = frame.split('\n');
    const tag = lines.indexOf('✓ SELECT 8');
    expect(tag).toBeGreaterThan(0);
    expect(lines.slice(tag + 1, tag + 11)).toEqual([
      '┌─────────────┬───────┐',
      '│ songplay_id │ level │',
      '├─────────────┼───────┤',
      '│           1 │ free  │',
      '│           2 │ free  │',
      '│           3 │ paid  │',
      '│           4 │ free  │',
      '│           5 │ paid  │',
      '└─────────────┴───────┘',
      expect.stringMatching(/^rows 1–5 of 8 · \d+\.\d\ds$/),
    ]);
    // PgDn pages in the editor too; Esc leaves the editor, and the screen's keys page on.
    await press(app, KEY.pageDown);
    frame = await waitForFrame(app, (f) => f.includes('rows 4–8 of 8'));
    expect(frame).toContain('│           8 │ paid  │');
    await press(app, KEY.escape);
    frame = await waitForFrame(app, (f) => f.includes('enter edit  w writes on/off'));
    expect(frame).toContain('SQL read-only · 10 tables for Tab · Enter edits');
    await press(app, 'g');
    await waitForFrame(app, (f) => f.includes('rows 1–5 of 8'));
    await press(app, 'j');
    frame = await waitForFrame(app, (f) => f.includes('rows 2–6 of 8'));
    expect(frame).toContain('│           6 │ paid  │');
    expect(frame).not.toContain('│           1 │ free  │');
    // The app's keys work again: 4 shows the Queries screen; 5 comes back, in the editor, with the text and the result.
    await press(app, '4');
    await waitForFrame(app, (f) => f.includes('▸ Top songs'));
    await press(app, '5');
    frame = await waitForFrame(app, (f) => f.includes('esc cancel the statement, or leave the editor'));
    expect(editorRows(frame).slice(0, 2)).toEqual(['SELECT songplay_id, level FROM songplays', 'ORDER BY songplay_id;']);
    expect(frame).toContain('rows 2–6 of 8');
  });

  it('shows each statement of the text run in order, the last one’s rows, and says when only the first 10,000 are kept', async () => {
    const app = await connectedApp(await loadedConfig());
    await openSqlScreen(app);
    await press(app, 'SELECT 1 AS one; SELECT level, COUNT(*) AS n FROM users GROUP BY level ORDER BY level;', KEY.enter);
    let frame = await waitForFrame(app, (f) => f.includes('rows 1–2 of 2'));
    expect(frame).toContain('✓ 2 statements: SELECT 1 · SELECT 2\n');
    expect(frame).toContain('│ free  │ 1 │\n│ paid  │ 2 │');
    await clearEditor(app);
    await press(app, 'SELECT g FROM generate_series(1, 10500) g;', KEY.enter);
    frame = await waitForFrame(app, (f) => f.includes('rows 1–5 of 10,000'));
    expect(frame).toContain('✓ SELECT: more than 10,000 rows; the first 10,000 are kept\n');
  });

  it('shows an error under the editor with a caret at its line and column, and runs nothing after it', async () => {
    const file = await loadedConfig();
    const app = await connectedApp(file);
    await openSqlScreen(app);
    await press(app, 'SELECT level', KEY.enter, "FROM users WHERE levle = 'paid';", KEY.enter);
    const frame = await waitForFrame(app, (f) => f.includes('✗ '));
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.startsWith('2 │ '));
    expect(lines.slice(at, at + 3)).toEqual([
      "2 │ FROM users WHERE levle = 'paid';",
      '  │                  ^',
      '✗ column "levle" does not exist (Perhaps you meant to reference the column "users.level".)',
    ]);
    expect(frame).not.toContain('rows ');
  });

  it('refuses a write while read-only; w switches writes on, and a write asks first: n runs nothing, y writes the row', async () => {
    const file = await loadedConfig();
    const app = await connectedApp(file);
    await openSqlScreen(app);
    const insert = "INSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free');";
    await press(app, insert, KEY.enter);
    let frame = await waitForFrame(app, (f) => f.includes('✗ '));
    expect(frame).toContain('✗ cannot execute INSERT in a read-only transaction (writes are off: Esc, then w switches them on)\n');
    expect(frame).toContain(`1 │ ${insert}\n  │ ^\n`);
    expect(await userIds(file)).toEqual([10, 20, 30]);

    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('Enter edits'));
    await press(app, 'w');
    frame = await waitForFrame(app, (f) => f.includes('writes ON'));
    expect(frame).toMatch(/^SQL {2}writes ON {2}· 10 tables for Tab · Enter edits$/m);
    expect(frame).toContain('Writes ON: a statement that writes asks first, then commits as it ends.');
    await press(app, KEY.enter, CTRL.r);
    frame = await waitForFrame(app, (f) => f.includes('[y/N]'));
    expect(frame).toContain('Line 1 (INSERT) needs writes: run it and what follows with them? [y/N]');
    expect(frame).toContain('Line 1 waits for the answer below: y runs it with writes allowed.');
    await press(app, 'n');
    frame = await waitForFrame(app, (f) => f.includes('Not run'));
    expect(frame).toContain('◼ Not run: the statement at line 1 needs writes, and they were not allowed');
    expect(await userIds(file)).toEqual([10, 20, 30]);

    // Back in the editor: the keys are the editor's again (y is text there), and Ctrl-R asks again.
    await press(app, CTRL.r);
    await waitForFrame(app, (f) => f.includes('[y/N]'));
    await press(app, 'y');
    frame = await waitForFrame(app, (f) => f.includes('✓ INSERT 0 1'));
    expect(editorRows(frame)[0]).toBe(insert);
    expect(await userIds(file)).toEqual([10, 20, 30, 40]);

    // Out of the editor first: a w that comes before the screen has left it would be typed.
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('Enter edits'));
    await press(app, 'w');
    frame = await waitForFrame(app, (f) => /^SQL read-only/m.test(f));
    expect(frame).toContain('Read-only: statements run in a read-only transaction.');
  });

  it('Ctrl-C while a write waits for its answer quits the app, and nothing is written', async () => {
    const file = await loadedConfig();
    const app = await connectedApp(file);
    await openSqlScreen(app);
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('Enter edits'));
    await press(app, 'w', KEY.enter);
    await waitForFrame(app, (f) => f.includes('writes ON') && f.includes('esc cancel the statement'));
    await press(app, "INSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free');", KEY.enter);
    await waitForFrame(app, (f) => f.includes('[y/N]'));
    await press(app, KEY.ctrlC);
    await waitForFrame(app, (f) => f.trim() === '');
    expect(await userIds(file)).toEqual([10, 20, 30]);
  });

  it('recalls a statement with Ctrl-P after the app is started again on the same history file', async () => {
    const file = await loadedConfig();
    const first = await connectedApp(file);
    await openSqlScreen(first);
    await press(first, 'SELECT COUNT(*) AS n FROM users;', KEY.enter);
    await waitForFrame(first, (f) => f.includes('rows 1–1 of 1'));
    first.unmount();

    const second = await connectedApp(file);
    await openSqlScreen(second);
    await press(second, CTRL.p);
    await waitForFrame(second, (f) => editorRows(f)[0] === 'SELECT COUNT(*) AS n FROM users;');
    await press(second, KEY.enter);
    const frame = await waitForFrame(second, (f) => f.includes('rows 1–1 of 1'));
    expect(frame).toContain('│ 3 │');
  });

  it('Esc cancels SELECT pg_sleep(30) on the server: the screen says so at once, and no backend sleeps on', async () => {
    const file = await loadedConfig();
    await withWarehouse(file, async (watcher) => {
      const sleeping = async () =>
        (await watcher.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`))
          .rows[0]!.n;
      const app = await connectedApp(file);
      await openSqlScreen(app);
      await press(app, 'SELECT pg_sleep(30);', KEY.enter);
      await waitForFrame(app, (f) => f.includes('Running line 1…'));
      await expect.poll(sleeping, { timeout: 10_000 }).toBe(1);
      const pressed = performance.now();
      await press(app, KEY.escape);
      const frame = await waitForFrame(app, (f) => f.includes('was cancelled'));
      const took = performance.now() - pressed;
      expect(took).toBeLessThan(5_000);
      expect(frame).toMatch(/◼ The statement at line 1 was cancelled on the server after \d+\.\d\ds\n/);
      expect(Number(/after (\d+\.\d\d)s/.exec(frame)![1])).toBeLessThan(15);
      expect(await sleeping()).toBe(0);
      // Still in the editor: Esc with nothing running leaves it.
      await press(app, KEY.escape);
      await waitForFrame(app, (f) => f.includes('Enter edits'));
    });
  });

  it('runs a statement while a reload runs, from the tables as they were, and the reload goes on', async () => {
    const data = copyOfMini();
    const file = await loadedConfig(data);
    addBigLog(data);
    const app = await connectedApp(file);
    await press(app, 'R');
    await waitForFrame(app, (f) => /1 staging_events +running/.test(f));
    await openSqlScreen(app);
    await press(app, 'SELECT COUNT(*) AS n FROM songplays;', KEY.enter);
    const during = await waitForFrame(app, (f) => f.includes('rows 1–1 of 1'));
    expect(during).toContain(`│ ${MINI_COUNTS.songplays} │`);
    expect(during).not.toContain('Completed');
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('Enter edits'));
    await press(app, '3');
    const done = await waitForFrame(app, (f) => f.includes('Completed 8 of 8 stages'), 120_000);
    expect(done).not.toContain('Cancelled');
  });
});

describe('keys that arrive in one read', () => {
  it('Esc Esc 4 right after the help: the first Esc closes it, and 4 opens the Queries screen', async () => {
    const app = await connectedApp(await loadedConfig());
    await press(app, '?');
    await waitForFrame(app, (f) => f.includes('? or Esc closes this help'));
    await press(app, `${KEY.escape}${KEY.escape}4`);
    const frame = await waitForFrame(app, (f) => f.includes('▸ Top songs'));
    expect(frame).not.toContain('? or Esc closes this help');
  });
});

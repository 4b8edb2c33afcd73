import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { formatBytes } from '../src/format/numbers.js';
import { GENERATE_DEFAULTS, generateDataset } from '../src/generate/generate.js';
import { TABLES } from '../src/sql/schema.js';
import { tableCounts } from '../src/warehouse/table-counts.js';
import { addBigLog, copyOfMini, MINI_COUNTS } from './support/fixtures.js';
import { KEY, press, waitForFrame } from './support/ink.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { withWarehouse } from './support/open-warehouse.js';
import { runQueryOnScreen } from './support/queries-screen.js';
import { tempDir } from './support/warehouse.js';

let mounted: ReturnType<typeof render>[] = [];

afterEach(async () => {
  for (const app of mounted) app.unmount();
  mounted = [];
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the warehouse close
});

async function connectedApp(configPath: string) {
  const app = render(<App configOptions={{ configPath, env: {} }} />);
  mounted.push(app);
  await waitForFrame(app, (f) => f.includes('● connected'));
  return app;
}

type Rendered = ReturnType<typeof render>;

/** On the Schema screen: selects `table` with ↓ and previews it (Enter), waiting for its rows. */
async function previewTable(app: Rendered, table: string): Promise<string> {
  await press(app, '2');
  await waitForFrame(app, (f) => f.includes('▸ staging_events'));
  const at = TABLES.findIndex((t) => t.name === table);
  await press(app, ...Array.from({ length: at }, () => KEY.down));
  await waitForFrame(app, (f) => f.includes(`▸ ${table} `));
  await press(app, KEY.enter);
  return waitForFrame(app, (f) => f.includes('rows 1–'));
}

const CTRL_U = '\u0015';
const USERS_CSV = "user_id,first_name,last_name,gender,level\r\n10,Ana,Silva,F,paid\r\n20,Bo,Berg,M,paid\r\n30,Cy,O'Neil,M,free\r\n";

/** Types a file name into the open export prompt, over the name it offers, and Enter. */
async function exportTo(app: Rendered, file: string): Promise<void> {
  await press(app, 'e');
  await waitForFrame(app, (f) => f.includes('Enter writes the file · Esc cancels'));
  await press(app, CTRL_U, file, KEY.enter);
}

/**
 * A loaded warehouse whose tables' sizes hold still: PostgreSQL 16+ extends
 * a table by many empty pages at a time as COPY fills it, and autovacuum
 * trims them at a moment of its own (1.2 MB to 984 KB, 40 s after a load),
 * which once fell between the preview and the test's own reading.
 */
async function settledConfig(dataDir?: string): Promise<string> {
  const file = await loadedConfig(dataDir);
  await withWarehouse(file, (wh) => wh.query('VACUUM'));
  return file;
}

/** The server's own size of a table, as the preview writes it. */
const sizeOf = (file: string, table: string) =>
  withWarehouse(file, async (wh) =>
    formatBytes(Number((await wh.query<{ n: string }>('SELECT pg_total_relation_size($1::regclass) AS n', [table])).rows[0]!.n)),
  );

describe('the table preview on the Schema screen', () => {
  it('Enter shows the first rows in the table view with each column type, the row count and the size; Esc goes back', async () => {
    const file = await settledConfig();
    const app = await connectedApp(file);
    const frame = await previewTable(app, 'users');
    const lines = frame.split('\n');
    const title = lines.findIndex((l) => l.startsWith('users '));
    expect(lines[title]).toBe(`users 3 rows · ${await sizeOf(file, 'users')} on disk`);
    expect(lines.slice(title + 1, title + 10)).toEqual([
      '┌─────────┬────────────┬───────────┬────────┬───────┐',
      '│ user_id │ first_name │ last_name │ gender │ level │',
      '│ integer │ text       │ text      │ text   │ text  │',
      '├─────────┼────────────┼───────────┼────────┼───────┤',
      '│      10 │ Ana        │ Silva     │ F      │ paid  │',
      '│      20 │ Bo         │ Berg      │ M      │ paid  │',
      "│      30 │ Cy         │ O'Neil    │ M      │ free  │",
      '└─────────┴────────────┴───────────┴────────┴───────┘',
      expect.stringMatching(/^rows 1–3 of 3 · \d+\.\d\ds$/),
    ]);
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('▸ users dimension 3 rows'));
  });

  it('pages the first 100 rows of a larger table, scrolls its columns with ←→, and quotes a reserved name (time)', async () => {
    const data = tempDir();
    generateDataset({ ...GENERATE_DEFAULTS, out: data, events: 3_000, songs: 100, users: 20, days: 40 });
    const file = await settledConfig(data);
    const app = await connectedApp(file);
    let frame = await previewTable(app, 'staging_events');
    // 24 rows: 18 for the screen, 7 of them for the title, the head and the status.
    expect(frame).toContain(`staging_events 3,000 rows · ${await sizeOf(file, 'staging_events')} on disk · the first 100\n`);
    expect(frame).toMatch(/\nrows 1–11 of 100 · columns 1–\d+ of 19 \(←→\) · /);
    expect(frame).toMatch(/│ artist +│ auth +│/);
    await press(app, 'G');
    await waitForFrame(app, (f) => f.includes('rows 90–100 of 100'));
    await press(app, KEY.right);
    frame = await waitForFrame(app, (f) => /columns 2–\d+ of 19/.test(f));
    expect(frame).toMatch(/│ auth +│/);
    expect(frame).not.toMatch(/│ artist +│/);
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('▸ staging_events'));
    const time = await previewTable(app, 'time');
    const count = await withWarehouse(file, tableCounts);
    expect(time).toContain(`time ${count.time!.toLocaleString('en-US')} rows · `);
    expect(time).toMatch(/│ start_time +│ +hour │ +day │/);
    expect(time).toMatch(/│ timestamp without time zone │ smallint │/);
  });

  it('answers during a reload, from the tables as they were; Esc leaves the preview and the reload goes on', async () => {
    const data = copyOfMini();
    const file = await loadedConfig(data);
    addBigLog(data);
    const app = await connectedApp(file);
    await press(app, 'R');
    await waitForFrame(app, (f) => /1 staging_events +running/.test(f));
    const during = await previewTable(app, 'songplays');
    expect(during).toContain(`songplays ${MINI_COUNTS.songplays} rows · `);
    expect(during).not.toContain('Completed');
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => f.includes('▸ songplays fact'));
    const done = await waitForFrame(app, (f) => f.includes('Completed 8 of 8 stages'), 120_000);
    expect(done).not.toContain('Cancelled');
  });
});

describe('export of the result on screen', () => {
  it('writes a preview to CSV, then to JSON (Tab switches the name), and says where each went', async () => {
    const file = await loadedConfig();
    const dir = tempDir();
    const app = await connectedApp(file);
    await previewTable(app, 'users');
    await press(app, 'e');
    const prompt = await waitForFrame(app, (f) => f.includes('Export 3 rows to'));
    expect(prompt).toContain('› users.csv');
    await press(app, CTRL_U, path.join(dir, 'users.csv'), KEY.enter);
    const csv = path.join(dir, 'users.csv');
    expect(await waitForFrame(app, (f) => f.includes('Exported'))).toContain(`Exported 3 rows (CSV, ${USERS_CSV.length} B) to ${csv}\n`);
    expect(readFileSync(csv, 'utf8')).toBe(USERS_CSV);

    await press(app, 'e');
    await waitForFrame(app, (f) => f.includes('› users.csv'));
    await press(app, CTRL_U, path.join(dir, 'users.csv'), KEY.tab);
    await waitForFrame(app, (f) => f.includes(`› ${path.join(dir, 'users.json')}`));
    await press(app, KEY.enter);
    const json = path.join(dir, 'users.json');
    await waitForFrame(app, (f) => f.includes('Exported 3 rows (JSON, '));
    const text = readFileSync(json, 'utf8');
    expect(JSON.parse(text)).toEqual([
      { user_id: 10, first_name: 'Ana', last_name: 'Silva', gender: 'F', level: 'paid' },
      { user_id: 20, first_name: 'Bo', last_name: 'Berg', gender: 'M', level: 'paid' },
      { user_id: 30, first_name: 'Cy', last_name: "O'Neil", gender: 'M', level: 'free' },
    ]);
    // Laid out as sparkify query --format json prints it: two spaces, a line break at the end.
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(app.lastFrame()).toContain(`Exported 3 rows (JSON, ${Buffer.byteLength(text)} B) to ${json}\n`);
  });

  it("writes a canned query's result from the Queries screen; keys typed into the name are text, not commands", async () => {
    const file = await loadedConfig();
    const dir = tempDir();
    const app = await connectedApp(file);
    await runQueryOnScreen(app, 'top-songs', 'rows 1–4 of 4');
    await press(app, 'e');
    expect(await waitForFrame(app, (f) => f.includes('Export 4 rows to'))).toContain('› top-songs.csv');
    // q, R, 1 and Esc-less keys are the name's letters here.
    await press(app, CTRL_U, path.join(dir, 'qR1.csv'), KEY.enter);
    const csv = path.join(dir, 'qR1.csv');
    await waitForFrame(app, (f) => f.includes('Exported 4 rows (CSV, ') && f.includes(`B) to ${csv}\n`));
    expect(readFileSync(csv, 'utf8')).toBe(
      `title,artist,plays\r\nLonely,Cé Solo,2\r\nTwin,Twins Band,2\r\nSecond,Ana D'Arc,1\r\n"Sé ""Quoted""",Ana D'Arc,1\r\n`,
    );
  });

  it('says in one line why a file cannot be written, keeps the prompt open, and asks before replacing a file', async () => {
    const file = await loadedConfig();
    const dir = tempDir();
    const app = await connectedApp(file);
    await previewTable(app, 'users');
    const notAFolder = path.join(dir, 'a-file');
    writeFileSync(notAFolder, 'x');
    await exportTo(app, path.join(notAFolder, 'users.csv'));
    let frame = await waitForFrame(app, (f) => f.includes('✗ '));
    expect(frame).toContain(`✗ cannot write ${path.join(notAFolder, 'users.csv')}: a part of the path is not a folder\n`);
    await press(app, CTRL_U, path.join(dir, 'missing', 'users.csv'), KEY.enter);
    // A long path wraps: the message is compared with its line breaks as spaces.
    frame = await waitForFrame(app, (f) => f.replace(/\s+/g, ' ').includes('does not exist'));
    expect(frame.replace(/\s+/g, ' ')).toContain(
      `✗ cannot write ${path.join(dir, 'missing', 'users.csv')}: the folder ${path.join(dir, 'missing')} does not exist ↑↓`,
    );
    await press(app, CTRL_U, path.join(dir, 'users.txt'), KEY.enter);
    await waitForFrame(app, (f) => f.includes('✗ users.txt: give the file a .csv or .json name'));
    mkdirSync(path.join(dir, 'folder.csv'));
    await press(app, CTRL_U, path.join(dir, 'folder.csv'), KEY.enter);
    await waitForFrame(app, (f) => f.includes(`✗ cannot write ${path.join(dir, 'folder.csv')}: it is a folder`));

    const existing = path.join(dir, 'users.csv');
    writeFileSync(existing, 'keep me');
    await press(app, CTRL_U, existing, KEY.enter);
    await waitForFrame(app, (f) => f.includes(`✗ ${existing} exists: Enter again replaces it`));
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    await press(app, KEY.escape);
    await waitForFrame(app, (f) => !f.includes('Export 3 rows') && f.includes('rows 1–3 of 3'));
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    await exportTo(app, existing);
    await waitForFrame(app, (f) => f.includes('exists: Enter again replaces it'));
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => f.includes(`Exported 3 rows (CSV, ${USERS_CSV.length} B) to ${existing}\n`));
    expect(readFileSync(existing, 'utf8')).toBe(USERS_CSV);
  });
});

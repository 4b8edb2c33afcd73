import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlEditor, type SqlEditorProps } from '../src/components/SqlEditor.js';
import { SqlErrorCaret } from '../src/components/SqlErrorCaret.js';
import type { CatalogTable } from '../src/editor/completion.js';
import { useStatementHistory } from '../src/hooks/use-statement-history.js';
import { KEY, press, tick, waitForFrame } from './support/ink.js';
import { tempDir } from './support/warehouse.js';

const CATALOG: CatalogTable[] = [
  { table: 'songplays', columns: ['songplay_id', 'start_time', 'user_id', 'song_id', 'session_id'] },
  { table: 'songs', columns: ['song_id', 'title', 'artist_id', 'year', 'duration'] },
  { table: 'time', columns: ['start_time', 'hour', 'weekday'] },
];
const CTRL = { p: '\u0010', n: '\u000e', r: '\u0012' };
const DELETE = '\u001b[3~';
const HOME = '\u001b[H';
const END = '\u001b[F';
const INVERSE = '\u001b[7m';
const INVERSE_OFF = '\u001b[27m';

let mounted: ReturnType<typeof render>[] = [];
afterEach(() => {
  for (const app of mounted) app.unmount();
  mounted = [];
});

function editor(props: Partial<SqlEditorProps> = {}) {
  const ran: string[] = [];
  const app = render(<SqlEditor isActive width={50} height={4} catalog={CATALOG} onRun={(text) => ran.push(text)} {...props} />);
  mounted.push(app);
  return { app, ran };
}

/** The text rows inside the editor's border, trailing spaces cut. */
const rowsOf = (frame: string) =>
  stripVTControlCharacters(frame)
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.slice(2, -1).trimEnd());

/** The frame's text with the cursor's cell marked as [x]. */
const withCursor = (frame: string) => stripVTControlCharacters(frame.replaceAll(INVERSE, '[').replaceAll(INVERSE_OFF, ']'));

/** Types text a key at a time, as a person does. */
async function type(app: ReturnType<typeof render>, text: string) {
  for (const c of text) await press(app, c);
}

describe('the SQL editor', () => {
  it("runs a multi-line statement on Enter after its closing ;, and makes new lines with Enter elsewhere (pgcli's rule)", async () => {
    const { app, ran } = editor();
    await tick();
    await type(app, 'SELECT title');
    await press(app, KEY.enter);
    await type(app, 'FROM songs');
    await waitForFrame(app, (f) => rowsOf(f).join('|') === 'SELECT title|FROM songs||');
    await press(app, KEY.enter);
    expect(ran).toEqual([]);
    await press(app, KEY.backspace);
    await type(app, ';');
    // Inside the text, at the first line's end: a new line, not a run.
    await press(app, KEY.up, END, KEY.enter);
    await waitForFrame(app, (f) => rowsOf(f).join('|') === 'SELECT title||FROM songs;|');
    expect(ran).toEqual([]);
    await press(app, KEY.down, KEY.down, END, KEY.enter);
    await waitForFrame(app, () => ran.length === 1);
    expect(ran).toEqual(['SELECT title\n\nFROM songs;']);
    // The text stays, and Ctrl-R runs it too.
    await press(app, CTRL.r);
    expect(ran).toEqual(['SELECT title\n\nFROM songs;', 'SELECT title\n\nFROM songs;']);
    expect(rowsOf(app.lastFrame()!)).toEqual(['SELECT title', '', 'FROM songs;', '']);
  });

  it('deletes across lines: Backspace (DEL) at a line start joins it to the one above, Delete (ESC [ 3 ~) at a line end the one below', async () => {
    const { app } = editor({ initialText: 'SELECT 1,\n2 FROM t' });
    await tick();
    await press(app, HOME, KEY.backspace);
    let frame = await waitForFrame(app, (f) => rowsOf(f)[0] === 'SELECT 1,2 FROM t');
    expect(withCursor(frame)).toContain('│ SELECT 1,[2] FROM t');
    await press(app, KEY.enter, KEY.up, END, DELETE);
    await waitForFrame(app, (f) => rowsOf(f)[0] === 'SELECT 1,2 FROM t' && withCursor(f).includes('1,[2]'));
    await press(app, DELETE, DELETE);
    frame = await waitForFrame(app, (f) => rowsOf(f)[0] === 'SELECT 1,FROM t');
    expect(rowsOf(frame)).toEqual(['SELECT 1,FROM t', '', '', '']);
  });

  it('takes a paste of several lines as text, its line breaks as new lines, and runs only on a last line break', async () => {
    const { app, ran } = editor();
    await tick();
    await press(app, 'SELECT 1;\rSELECT song_id\r  FROM songs;');
    const frame = await waitForFrame(app, (f) => rowsOf(f).includes('  FROM songs;'));
    expect(rowsOf(frame)).toEqual(['SELECT 1;', 'SELECT song_id', '  FROM songs;', '']);
    expect(withCursor(frame)).toContain('│   FROM songs;[ ]');
    expect(ran).toEqual([]);
    // tmux send-keys 'SELECT 2;' Enter: the text and the Enter in one read.
    await press(app, '\rSELECT 2;\r');
    await waitForFrame(app, () => ran.length === 1);
    expect(ran).toEqual(['SELECT 1;\nSELECT song_id\n  FROM songs;\nSELECT 2;']);
  });

  it('acts on each of the keys that arrive in one read, in order (tmux send-keys, a held key)', async () => {
    const { app } = editor();
    await tick();
    await press(app, `SELECT 1${KEY.left}${KEY.left}X${KEY.right}${KEY.right}${KEY.backspace}2`);
    await waitForFrame(app, (f) => rowsOf(f)[0] === 'SELECTX 2');
  });

  it('completes a table name with Tab, lists the matches when several, then a column after table.', async () => {
    const { app } = editor();
    await tick();
    await type(app, 'SELECT * FROM son');
    await press(app, KEY.tab);
    let frame = await waitForFrame(app, (f) => rowsOf(f)[0] === 'SELECT * FROM song');
    expect(stripVTControlCharacters(frame)).toContain('songplays  songs');
    await type(app, 's WHERE songs.ti');
    await press(app, KEY.tab);
    frame = await waitForFrame(app, (f) => rowsOf(f)[0] === 'SELECT * FROM songs WHERE songs.title');
    expect(stripVTControlCharacters(frame)).toContain('Enter after ; or Ctrl-R runs');
    await press(app, HOME);
    await type(app, 'SELECT 1 FROM ti');
    await press(app, KEY.tab);
    // After FROM, only tables; time is quoted, a word both dialects treat as a keyword.
    // The line is wider than the editor (46 columns inside its border): it wraps.
    frame = await waitForFrame(app, (f) => rowsOf(f).slice(0, 2).join('|') === 'SELECT 1 FROM "time"SELECT * FROM songs WHERE|songs.title');
    expect(withCursor(frame)).toContain('FROM "time"[S]ELECT');
  });

  it('draws the cursor only while active, scrolls a long text to keep it in view, and gives Esc to the screen', async () => {
    let escaped = 0;
    const text = Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n');
    const { app } = editor({ initialText: text, onEscape: () => (escaped += 1) });
    await tick();
    await press(app, KEY.up);
    let frame = await waitForFrame(app, (f) => f.includes(INVERSE));
    expect(rowsOf(frame)).toEqual(['line 4', 'line 5', 'line 6', 'line 7']);
    await press(app, KEY.escape);
    await waitForFrame(app, () => escaped === 1);
    app.rerender(<SqlEditor isActive={false} width={50} height={4} onRun={() => {}} initialText={text} />);
    frame = await waitForFrame(app, (f) => !f.includes(INVERSE));
    await press(app, 'x');
    expect(rowsOf(app.lastFrame()!)).toEqual(rowsOf(frame));
  });
});

/** The editor as the SQL screen holds it: its history read from the warehouse's file, a run added to it. */
function EditorWithHistory({ file, ran }: { file: string; ran: string[] }) {
  const history = useStatementHistory(file);
  return (
    <SqlEditor
      isActive
      width={50}
      height={4}
      history={history.statements}
      onRun={(text) => {
        history.add(text);
        ran.push(text);
      }}
    />
  );
}

describe('the history in the editor (Ctrl-P / Ctrl-N)', () => {
  it('recalls the statements run before a restart, newest first, and comes back to the draft', async () => {
    const file = path.join(tempDir(), 'history', 'w.jsonl');
    const ran: string[] = [];
    const first = render(<EditorWithHistory file={file} ran={ran} />);
    mounted.push(first);
    await tick();
    await press(first, 'SELECT 1;', KEY.enter);
    await waitForFrame(first, () => ran.length === 1);
    await press(first, KEY.backspace.repeat(9), 'SELECT title\rFROM songs;');
    await waitForFrame(first, (f) => rowsOf(f)[1] === 'FROM songs;');
    await press(first, KEY.enter);
    await waitForFrame(first, () => ran.length === 2);
    // After a run, the first Ctrl-P passes over the statement shown and goes to the one before.
    await press(first, CTRL.p);
    await waitForFrame(first, (f) => rowsOf(f)[0] === 'SELECT 1;');
    first.unmount();

    const second = render(<EditorWithHistory file={file} ran={ran} />);
    mounted.push(second);
    await tick();
    await type(second, 'draft');
    await press(second, CTRL.p);
    let frame = await waitForFrame(second, (f) => rowsOf(f)[0] === 'SELECT title');
    expect(rowsOf(frame)).toEqual(['SELECT title', 'FROM songs;', '', '']);
    expect(withCursor(frame)).toContain('FROM songs;[ ]');
    await press(second, CTRL.p);
    await waitForFrame(second, (f) => rowsOf(f)[0] === 'SELECT 1;');
    await press(second, CTRL.p); // the oldest: it stays
    await press(second, CTRL.n);
    await waitForFrame(second, (f) => rowsOf(f)[0] === 'SELECT title');
    await press(second, CTRL.n);
    frame = await waitForFrame(second, (f) => rowsOf(f)[0] === 'draft');
    expect(rowsOf(frame)).toEqual(['draft', '', '', '']);
  });
});

describe('an error under the editor', () => {
  it('shows the line at fault with a caret under its column, then the message; only the message without a position', () => {
    const message = 'syntax error at or near "FORM" (line 2, column 3)';
    const app = render(<SqlErrorCaret text={'SELECT *\n  FORM songs;'} position={{ line: 2, column: 3 }} message={message} width={60} />);
    mounted.push(app);
    expect(stripVTControlCharacters(app.lastFrame()!).split('\n')).toEqual(['2 │   FORM songs;', '  │   ^', `✗ ${message}`]);
    app.rerender(<SqlErrorCaret text="SELECT 1" position={null} message="canceling statement due to user request" width={60} />);
    expect(stripVTControlCharacters(app.lastFrame()!)).toBe('✗ canceling statement due to user request');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { complete, sqlName, type CatalogTable } from '../src/editor/completion.js';
import { applyCommand, initialEditor, withHistory, type EditorCommand, type EditorState } from '../src/editor/editor-state.js';
import { startWalk, step } from '../src/editor/history-walk.js';
import { commandOfKey, type KeyPress } from '../src/editor/keys.js';
import { blankLiteralsAndComments, endsWithStatementEnd, scanSql } from '../src/editor/sql-scan.js';
import { beforeCursor, textOf } from '../src/editor/buffer.js';

const CATALOG: CatalogTable[] = [
  { table: 'songplays', columns: ['songplay_id', 'start_time', 'user_id', 'level', 'song_id', 'artist_id', 'session_id', 'location', 'user_agent'] },
  { table: 'songs', columns: ['song_id', 'title', 'artist_id', 'year', 'duration'] },
  { table: 'staging_events', columns: ['artist', 'song', 'ts', 'userid'] },
  { table: 'time', columns: ['start_time', 'hour', 'day', 'week', 'month', 'year', 'weekday'] },
  { table: 'users', columns: ['user_id', 'first_name', 'last_name', 'gender', 'level'] },
];

describe("pgcli's Enter rule: a statement's closing ;", () => {
  it.each([
    ['SELECT 1;', true],
    ['SELECT 1;  \n  ', true],
    ['SELECT 1', false],
    ["SELECT ';'", false],
    ["SELECT 'a;", false],
    ['SELECT 1 -- the end;', false],
    ['SELECT 1; -- the end', false],
    ['SELECT 1 /* ; */', false],
    ['SELECT 1 /* /* nested */ ; */;', true],
    ['SELECT "a;b" FROM t;', true],
    ['SELECT $$;$$;', true],
    ['SELECT $body$ ; $body$', false],
    ["SELECT E'it\\'s;'", false],
    ["SELECT E'it\\'s';", true],
    ["SELECT 'it''s;'", false],
    ['SELECT $1;', true],
    [';', false],
    ['SELECT 1;;', false],
    ['SELECT 1; /* note */ ;', false],
    ['', false],
  ])('%j ends a statement: %s', (text, ends) => {
    expect(endsWithStatementEnd(text)).toBe(ends);
  });

  it('knows what each character is, and what the text ends inside of', () => {
    expect(scanSql(`a'b'"c"--d`).kinds.join(' ')).toBe('code string string string quoted quoted quoted comment comment comment');
    expect(scanSql('SELECT "ti').open).toBe('quoted');
    expect(scanSql('/* a').open).toBe('comment');
    expect(blankLiteralsAndComments(`FROM "x" -- c\nWHERE a = 'b'`)).toBe(`FROM "x"     \nWHERE a =    `);
  });

  it('never throws, and blanking keeps every length and line break (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ';', "'", '"', '-', '/', '*', '$', 'E', '\\', '\n', ' ') }), (text) => {
        const blank = blankLiteralsAndComments(text);
        expect(blank).toHaveLength(text.length);
        expect([...blank].map((c, i) => (c === '\n') === (text[i] === '\n')).every(Boolean)).toBe(true);
        expect(typeof endsWithStatementEnd(text)).toBe('boolean');
      }),
    );
  });
});

describe('completion of table and column names', () => {
  it('completes a unique prefix whole, quoting a name a dialect reserves', () => {
    expect(complete('SELECT * FROM songp', CATALOG)).toEqual({ replace: 5, text: 'songplays', candidates: [] });
    expect(complete('SELECT * FROM ti', CATALOG)).toEqual({ replace: 2, text: '"time"', candidates: [] });
    expect(complete('select * from USE', CATALOG)).toEqual({ replace: 3, text: 'users', candidates: [] });
  });

  it('completes several matches to the prefix they share, and lists them', () => {
    expect(complete('SELECT * FROM s', CATALOG)).toEqual({ replace: 1, text: 's', candidates: ['songplays', 'songs', 'staging_events'] });
    expect(complete('SELECT * FROM son', CATALOG)).toEqual({ replace: 3, text: 'song', candidates: ['songplays', 'songs'] });
  });

  it("after table. or an alias's dot, completes that table's columns", () => {
    expect(complete('SELECT songs.ti', CATALOG)).toEqual({ replace: 2, text: 'title', candidates: [] });
    expect(complete('SELECT songs.', CATALOG)?.candidates).toEqual(['artist_id', 'duration', 'song_id', 'title', 'year']);
    expect(complete('SELECT "time".h', CATALOG)).toEqual({ replace: 1, text: '"hour"', candidates: [] });
    const text = 'SELECT sp.ses FROM songplays sp JOIN songs AS s ON s.song_id = sp.song_id';
    expect(complete('SELECT sp.ses', CATALOG, text)).toEqual({ replace: 3, text: 'session_id', candidates: [] });
    expect(complete('SELECT s.d', CATALOG, text)).toEqual({ replace: 1, text: 'duration', candidates: [] });
    expect(complete('SELECT nope.d', CATALOG, text)).toBeNull();
  });

  it("elsewhere, offers tables and the named tables' columns; nothing in a string or a comment", () => {
    expect(complete('SELECT first', CATALOG, 'SELECT first FROM users')).toEqual({ replace: 5, text: 'first_name', candidates: [] });
    // The statement names songs only: user_id (of songplays and users) is not offered.
    expect(complete('SELECT u', CATALOG, 'SELECT u FROM songs')).toEqual({ replace: 1, text: 'users', candidates: [] });
    expect(complete('SELECT u', CATALOG)).toEqual({ replace: 1, text: 'user', candidates: ['user_agent', 'user_id', 'userid', 'users'] });
    expect(complete("SELECT 'son", CATALOG)).toBeNull();
    expect(complete('SELECT 1 -- son', CATALOG)).toBeNull();
    expect(complete('SELECT 12', CATALOG)).toBeNull();
    expect(complete('SELECT zzz', CATALOG)).toBeNull();
  });

  it('quotes what is not a plain lower-case name', () => {
    expect([sqlName('songs'), sqlName('time'), sqlName('user'), sqlName('MixedCase'), sqlName('a"b'), sqlName('raw')]).toEqual([
      'songs',
      '"time"',
      '"user"',
      '"MixedCase"',
      '"a""b"',
      '"raw"',
    ]);
  });
});

describe('the history walk (Ctrl-P / Ctrl-N)', () => {
  it('goes back through the statements and forward to the draft, each text kept as it was left', () => {
    let walk = startWalk(['SELECT 1;', 'SELECT 2;']);
    let moved = step(walk, 'SELECT 3', -1)!;
    expect(moved.text).toBe('SELECT 2;');
    moved = step(moved.walk, 'SELECT 2; -- edited', -1)!;
    expect(moved.text).toBe('SELECT 1;');
    expect(step(moved.walk, 'SELECT 1;', -1)).toBeNull();
    moved = step(moved.walk, 'SELECT 1;', 1)!;
    expect(moved.text).toBe('SELECT 2; -- edited');
    moved = step(moved.walk, moved.text, 1)!;
    expect(moved.text).toBe('SELECT 3');
    expect(step(moved.walk, 'SELECT 3', 1)).toBeNull();
    // The statement just run is passed over: the first Ctrl-P goes to the one before.
    walk = startWalk(['SELECT 1;', 'SELECT 2;'], 'SELECT 2;');
    expect(step(walk, 'SELECT 2;', -1)!.text).toBe('SELECT 1;');
  });
});

const NO_KEY: KeyPress = {
  return: false,
  escape: false,
  backspace: false,
  delete: false,
  leftArrow: false,
  rightArrow: false,
  upArrow: false,
  downArrow: false,
  home: false,
  end: false,
  pageUp: false,
  pageDown: false,
  tab: false,
  shift: false,
  ctrl: false,
  meta: false,
};

describe('keys as the editor reads them', () => {
  it('tells Backspace (DEL) from Delete (ESC [ 3 ~) by the sequence, as Ink reports both as delete', () => {
    expect(commandOfKey('', { ...NO_KEY, delete: true }, '\u007f')).toEqual({ kind: 'backspace' });
    expect(commandOfKey('', { ...NO_KEY, delete: true }, '\u001b[3~')).toEqual({ kind: 'delete' });
    expect(commandOfKey('', { ...NO_KEY, backspace: true }, '\b')).toEqual({ kind: 'backspace' });
    expect(commandOfKey('r', { ...NO_KEY, ctrl: true }, '\u0012')).toEqual({ kind: 'run' });
    expect(commandOfKey('p', { ...NO_KEY, ctrl: true }, '\u0010')).toEqual({ kind: 'previous' });
    expect(commandOfKey('n', { ...NO_KEY, ctrl: true }, '\u000e')).toEqual({ kind: 'next' });
    expect(commandOfKey('c', { ...NO_KEY, ctrl: true }, '\u0003')).toBeNull();
    expect(commandOfKey('', { ...NO_KEY, return: true, meta: true }, '\u001b\r')).toEqual({ kind: 'newline' });
    expect(commandOfKey('', { ...NO_KEY, tab: true, shift: true }, '\u001b[Z')).toBeNull();
    expect(commandOfKey('a;\rb', NO_KEY, 'a;\rb')).toEqual({ kind: 'type', text: 'a;\rb' });
  });
});

describe('the editor state', () => {
  const run = (state: EditorState, ...commands: EditorCommand[]) => {
    const ran: string[] = [];
    for (const command of commands) {
      const next = applyCommand(state, command, CATALOG);
      state = next.state;
      if (next.run !== null) ran.push(next.run);
    }
    return { state, ran };
  };

  it('runs on Enter after the closing ; at the end, and makes a new line anywhere else', () => {
    const first = run(initialEditor(), { kind: 'type', text: 'SELECT 1' }, { kind: 'enter' });
    expect(textOf(first.state.buffer)).toBe('SELECT 1\n');
    expect(first.ran).toEqual([]);
    expect(run(first.state, { kind: 'type', text: ';' }, { kind: 'enter' }).ran).toEqual(['SELECT 1\n;']);
    const inside = run(initialEditor([], 'SELECT 1;\nSELECT 2;'), { kind: 'up' }, { kind: 'end' }, { kind: 'enter' });
    expect(inside.ran).toEqual([]);
    expect(textOf(inside.state.buffer)).toBe('SELECT 1;\n\nSELECT 2;');
    const after = run(initialEditor(), { kind: 'type', text: 'SELECT\n  1;  ' }, { kind: 'enter' });
    expect(after.ran).toEqual(['SELECT\n  1;  ']);
    expect(textOf(after.state.buffer)).toBe('SELECT\n  1;  ');
    expect(run(initialEditor([], 'SELECT 1'), { kind: 'run' }).ran).toEqual(['SELECT 1']);
    expect(run(initialEditor([], ' \n '), { kind: 'run' }).ran).toEqual([]);
  });

  it('keys in one read: line breaks inside are new lines, a last one is Enter, a DEL deletes', () => {
    let { state, ran } = run(initialEditor(), { kind: 'type', text: 'SELECT 1;\rSELECT 22\u007f;' });
    expect(ran).toEqual([]);
    expect(textOf(state.buffer)).toBe('SELECT 1;\nSELECT 2;');
    ({ state, ran } = run(initialEditor(), { kind: 'type', text: 'SELECT 1;\r\nSELECT 2;\r\n' }));
    expect([ran, textOf(state.buffer)]).toEqual([['SELECT 1;\nSELECT 2;'], 'SELECT 1;\nSELECT 2;']);
    ({ state, ran } = run(initialEditor(), { kind: 'type', text: 'SELECT 1,\r' }));
    expect(ran).toEqual([]);
    expect(textOf(state.buffer)).toBe('SELECT 1,\n');
    // Ctrl-J, one key: a new line.
    ({ state, ran } = run(initialEditor([], 'SELECT 1;'), { kind: 'type', text: '\n' }));
    expect([ran, textOf(state.buffer)]).toEqual([[], 'SELECT 1;\n']);
  });

  it('Tab completes, lists the matches under the editor, and indents at a line start', () => {
    let { state } = run(initialEditor([], 'SELECT * FROM son'), { kind: 'complete' });
    expect(textOf(state.buffer)).toBe('SELECT * FROM song');
    expect(state.listing).toBe('songplays  songs');
    ({ state } = run(state, { kind: 'type', text: 'p' }, { kind: 'complete' }));
    expect(textOf(state.buffer)).toBe('SELECT * FROM songplays');
    expect(state.listing).toBeNull();
    ({ state } = run(state, { kind: 'type', text: ' x' }, { kind: 'complete' }));
    expect(state.listing).toBe('no table or column starts with "x"');
    ({ state } = run(initialEditor([], 'SELECT\n'), { kind: 'complete' }));
    expect(textOf(state.buffer)).toBe('SELECT\n  ');
  });

  it('walks the history from the draft and back to it; a new history starts the walk again', () => {
    let { state } = run(initialEditor(['SELECT 1;', 'SELECT 2;'], 'draft'), { kind: 'previous' });
    expect(textOf(state.buffer)).toBe('SELECT 2;');
    expect(beforeCursor(state.buffer)).toBe('SELECT 2;');
    ({ state } = run(state, { kind: 'next' }));
    expect(textOf(state.buffer)).toBe('draft');
    state = withHistory(state, ['SELECT 1;', 'SELECT 2;', 'draft']);
    ({ state } = run(state, { kind: 'previous' }));
    expect(textOf(state.buffer)).toBe('SELECT 2;');
  });
});

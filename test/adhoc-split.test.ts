import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DECLARE_CURSOR_PREFIX } from '../src/adhoc/adhoc-sql.js';
import { scriptPositionOf } from '../src/adhoc/script-position.js';
import { isCompleteScript, scanScript, splitStatements } from '../src/adhoc/split-statements.js';
import { isQuery, isTransactionControl } from '../src/adhoc/statement-kind.js';

const texts = (script: string, backslashEscapes = false) => splitStatements(script, { backslashEscapes }).map((s) => s.text);

/** Line and column of an offset, counted the plain way: lines by \n, columns in characters (code points). */
function naivePosition(script: string, offset: number): { line: number; column: number } {
  const before = script.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}

describe('splitting a script into statements', () => {
  it('cuts at each ; outside strings, quoted names, dollar quotes, comments and parentheses', () => {
    const script = `SELECT 'a;b', "x;""y" FROM t; -- one; two
SELECT $$ ; $$, $body$ it's; $$ $body$ /* a ; /* nested ; */ still ; */ ;
INSERT INTO t VALUES ((SELECT 1; ), 2);;
  SELECT E'it\\'s; \\\\', U&'d;' ; SELECT 1 -- the end`;
    expect(texts(script)).toEqual([
      `SELECT 'a;b', "x;""y" FROM t`,
      `SELECT $$ ; $$, $body$ it's; $$ $body$ /* a ; /* nested ; */ still ; */`,
      'INSERT INTO t VALUES ((SELECT 1; ), 2)',
      `SELECT E'it\\'s; \\\\', U&'d;'`,
      'SELECT 1 -- the end',
    ]);
  });

  it('starts a statement at its first token, leaving out the comments and blanks before it, and names its line and column', () => {
    const script = '-- header\n\n  /* note */ SELECT 1;\r\n\tSELECT\n 2 ;';
    expect(splitStatements(script)).toEqual([
      { text: 'SELECT 1', offset: 24, line: 3, column: 14, terminated: true },
      { text: 'SELECT\n 2', offset: 36, line: 4, column: 2, terminated: true },
    ]);
  });

  it('leaves out blank statements and a trailing comment, and keeps a last statement without ;', () => {
    expect(splitStatements(';; ;\n-- only a comment;\n')).toEqual([]);
    expect(splitStatements('SELECT 1; /* done */')).toHaveLength(1);
    expect(splitStatements('SELECT 1;\nSELECT 2')).toEqual([
      { text: 'SELECT 1', offset: 0, line: 1, column: 1, terminated: true },
      { text: 'SELECT 2', offset: 10, line: 2, column: 1, terminated: false },
    ]);
  });

  it("takes backslash escapes in ordinary strings only when told to (Redshift's literals)", () => {
    const script = `SELECT 'a\\'; SELECT 'b'`;
    expect(texts(script)).toEqual([`SELECT 'a\\'`, `SELECT 'b'`]);
    expect(texts(script, true)).toEqual([script]);
  });

  it('does not take $1, an identifier with $ or a bare $ for a dollar quote', () => {
    expect(texts('SELECT $1; SELECT a$b$ FROM t$; SELECT 1 $ 2')).toEqual(['SELECT $1', 'SELECT a$b$ FROM t$', 'SELECT 1 $ 2']);
    expect(texts(`SELECT e'x\\'y'; SELECT ee'x\\'; SELECT 2`)).toEqual([`SELECT e'x\\'y'`, `SELECT ee'x\\'`, 'SELECT 2']);
  });

  it('keeps what an unterminated string, quote or comment holds in the last statement, and says where the script ends', () => {
    expect(scanScript(`SELECT 1; SELECT 'a; b`)).toMatchObject({ end: 'string', statements: [{ text: 'SELECT 1' }, { text: `SELECT 'a; b` }] });
    expect(scanScript('SELECT "a; b').end).toBe('identifier');
    expect(scanScript('SELECT $q$ ; ').end).toBe('dollar-quote');
    expect(scanScript('SELECT 1 /* ; ').end).toBe('comment');
    expect(scanScript('SELECT 1; ').end).toBe('open');
  });

  it("is complete for Enter (pgcli's rule) when a ; ends the last statement, outside any quote or comment", () => {
    expect(isCompleteScript('SELECT 1;')).toBe(true);
    expect(isCompleteScript('SELECT 1;  \n -- after\n')).toBe(true);
    expect(isCompleteScript('SELECT 1; /* after */')).toBe(true);
    expect(isCompleteScript('SELECT 1')).toBe(false);
    expect(isCompleteScript("SELECT ';")).toBe(false);
    expect(isCompleteScript('SELECT (1;')).toBe(false);
    expect(isCompleteScript('SELECT 1; /* open')).toBe(false);
    expect(isCompleteScript('SELECT 1; SELECT')).toBe(false);
    expect(isCompleteScript('  ;')).toBe(false);
  });
});

describe('what a statement is', () => {
  it('a query for a cursor: SELECT, WITH, VALUES, TABLE, after comments and parentheses', () => {
    expect(['SELECT 1', '  -- c\n/* d */ (SELECT 1) UNION SELECT 2', 'with x as (select 1) select * from x', 'VALUES (1)', 'table songs'].map(isQuery)).toEqual(
      [true, true, true, true, true],
    );
    expect(['INSERT INTO t SELECT 1', 'SHOW search_path', 'EXPLAIN SELECT 1', "'SELECT'", 'selected'].map(isQuery)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('transaction control', () => {
    expect(
      ['BEGIN', 'start transaction', 'COMMIT', 'end', 'ROLLBACK', 'abort', 'SAVEPOINT a', 'RELEASE a', 'PREPARE TRANSACTION $$x$$'].every(isTransactionControl),
    ).toBe(true);
    expect(['PREPARE q AS SELECT 1', 'SELECT 1', 'BEGINNING'].some(isTransactionControl)).toBe(false);
  });
});

/** Text made of characters that matter to the splitter, and some that take two UTF-16 units. */
const tricky = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ';', "'", '"', '$', '-', '/', '*', '\n', ' ', '\\', '(', ')', 'E'), maxLength: 12 });

/** One token of a statement: none of them holds a ; the splitter may cut at. */
const token: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_$]{0,5}$/),
  fc.nat({ max: 99999 }).map(String),
  fc.constantFrom('=', '<>', '+', '*', ',', '.', '::', '$1', '%', '/', '-'),
  tricky.map((s) => `'${s.replaceAll("'", "''")}'`),
  tricky.map((s) => `E'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`),
  tricky.filter((s) => s.length > 0).map((s) => `"${s.replaceAll('"', '""')}"`),
  fc
    .tuple(fc.constantFrom('', 'x', 'body', 'q1'), tricky)
    .map(([tag, s]) => (s.includes(`$${tag}$`) || s.endsWith('$') ? `$${tag}$$${tag}$` : `$${tag}$${s}$${tag}$`)),
  tricky.map((s) => `-- ${s.replaceAll('\n', ' ')}\n`),
  tricky.filter((s) => !s.includes('*/') && !s.includes('/*') && !s.endsWith('/') && !s.startsWith('*')).map((s) => `/* ${s} */`),
  tricky.map((s) => `(SELECT '${s.replaceAll("'", "''")}'; 1)`),
);
const isComment = (t: string) => t.startsWith('--') || t.startsWith('/*');
const blank = fc.constantFrom(' ', '\n', '\t', '\r\n', '  ');

/** A statement: tokens apart by blanks, starting and ending with one that is no comment. */
const statement = fc
  .tuple(
    token.filter((t) => !isComment(t)),
    fc.array(fc.tuple(blank, token), { maxLength: 6 }),
    blank,
    token.filter((t) => !isComment(t)),
  )
  .map(([first, middle, space, last]) => first + middle.map(([b, t]) => b + t).join('') + space + last);

describe('splitting, checked on generated scripts (fast-check)', () => {
  it('statements joined with ; (blanks and comments between) are split back into the same statements', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(statement, blank, fc.constantFrom('', '-- gap\n', '/* gap */ ')), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (parts, lastSemicolon) => {
          const script = parts.map(([s, b, gap]) => `${gap}${s}${b}`).join(';') + (lastSemicolon ? ';' : '');
          const split = splitStatements(script);
          expect(split.map((s) => s.text)).toEqual(parts.map(([s]) => s));
          for (const s of split) {
            expect(script.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
            expect({ line: s.line, column: s.column }).toEqual(naivePosition(script, s.offset));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("the server's error position (characters, after the cursor's DECLARE) maps to the line and column of that character in the script", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), fc.boolean(), (statements, which, at, viaCursor) => {
        const script = `-- a script\n${statements.join(';\n')};`;
        const split = splitStatements(script);
        const target = split[which % split.length]!;
        const characters = [...target.text];
        const k = at % (characters.length + 1);
        const sentBefore = viaCursor ? DECLARE_CURSOR_PREFIX : '';
        const offset = target.offset + characters.slice(0, k).join('').length;
        expect(scriptPositionOf(target, [...sentBefore].length + k + 1, sentBefore)).toEqual({ offset, ...naivePosition(script, offset) });
      }),
      { numRuns: 500 },
    );
  });

  it('any text splits without failing, into statements found where they say, in order, none blank (an unclosed quote keeps its blanks)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', ';', "'", '"', '$', '-', '/', '*', '\n', '(', ')', 'E', '\\', '😀'), maxLength: 60 }),
        fc.boolean(),
        (script, backslashes) => {
          let after = 0;
          for (const s of splitStatements(script, { backslashEscapes: backslashes })) {
            expect(s.offset).toBeGreaterThanOrEqual(after);
            expect(script.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
            expect(s.text.trimStart()).toBe(s.text);
            expect(s.text).not.toBe('');
            after = s.offset + s.text.length;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('server positions', () => {
  it('count characters, not UTF-16 units, and point nowhere outside the statement', () => {
    const script = "SELECT '😀😀' AS x;\nSELECT '😀', nope FROM t";
    const [, second] = splitStatements(script);
    // PostgreSQL: `column "nope" does not exist` at character 13 of "SELECT '😀', nope FROM t".
    expect(scriptPositionOf(second!, 13)).toEqual({ offset: 33, line: 2, column: 13 });
    expect(scriptPositionOf(second!, 13 + DECLARE_CURSOR_PREFIX.length, DECLARE_CURSOR_PREFIX)).toEqual({ offset: 33, line: 2, column: 13 });
    expect(scriptPositionOf(second!, 3, DECLARE_CURSOR_PREFIX)).toBeNull();
    expect(scriptPositionOf(second!, 100)).toBeNull();
  });
});

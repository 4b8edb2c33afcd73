import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caretLines } from '../src/editor/caret.js';

describe('the caret under a statement at fault', () => {
  it('shows the line the server names and a caret under its column', () => {
    expect(caretLines('SELECT *\nFORM songs;', 2, 1, 80)).toEqual(['2 │ FORM songs;', '  │ ^']);
    expect(caretLines('SELECT titel FROM songs;', 1, 8, 80)).toEqual(['1 │ SELECT titel FROM songs;', '  │        ^']);
    // Past the end (a statement cut short): just after it.
    expect(caretLines('SELECT (1', 1, 10, 80)).toEqual(['1 │ SELECT (1', '  │          ^']);
    expect(caretLines('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk', 11, 1, 80)).toEqual(['11 │ k', '   │ ^']);
  });

  it('cuts a line wider than the screen around the column, with … where it is cut', () => {
    const line = `SELECT ${'x, '.repeat(30)}nope FROM songs`;
    const [shown, caret] = caretLines(line, 1, line.indexOf('nope') + 1, 30);
    expect(shown).toHaveLength(30);
    expect(shown.startsWith('1 │ …')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.slice(caret.indexOf('^'), caret.indexOf('^') + 4)).toBe('nope');
  });

  it('always points at the character at fault, within the width (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', ';'), minLength: 1, maxLength: 120 }),
        fc.nat(),
        fc.integer({ min: 20, max: 100 }),
        (line, n, width) => {
          const column = (n % line.length) + 1;
          const [shown, caret] = caretLines(line, 1, column, width);
          expect(shown.length).toBeLessThanOrEqual(Math.max(width, 12));
          expect(shown[caret.indexOf('^')]).toBe(line[column - 1]);
        },
      ),
    );
  });
});

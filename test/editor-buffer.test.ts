import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backspace,
  bufferOf,
  deleteForward,
  EMPTY_BUFFER,
  insertText,
  moveEnd,
  moveHome,
  moveLeft,
  moveRight,
  moveVertically,
  newline,
  offsetOf,
  textOf,
  type EditorBuffer,
} from '../src/editor/buffer.js';
import { layoutRows, scrollTop } from '../src/editor/layout.js';

const typed = (...parts: string[]) => parts.reduce(insertText, EMPTY_BUFFER);
const shown = (b: EditorBuffer) => {
  const text = textOf(b);
  const at = offsetOf(b);
  return `${text.slice(0, at)}|${text.slice(at)}`;
};

describe('the editor buffer', () => {
  it('types lines, joins them with Backspace at a line start and Delete at a line end', () => {
    let b = newline(typed('SELECT 1'));
    b = insertText(b, 'FROM t');
    expect(b.lines).toEqual(['SELECT 1', 'FROM t']);
    expect(shown(b)).toBe('SELECT 1\nFROM t|');
    b = moveHome(b);
    b = backspace(b);
    expect(b.lines).toEqual(['SELECT 1FROM t']);
    expect(b.cursor).toEqual({ line: 0, column: 8 });
    b = newline(b);
    b = moveLeft(b);
    expect(b.cursor).toEqual({ line: 0, column: 8 });
    b = deleteForward(b);
    expect(shown(b)).toBe('SELECT 1|FROM t');
    // Nothing to delete before the start or after the end.
    expect(shown(backspace(moveHome(bufferOf('ab', 0))))).toBe('|ab');
    expect(shown(deleteForward(bufferOf('ab')))).toBe('ab|');
  });

  it('pastes several lines at the cursor, CR LF and CR as line breaks, and drops other control characters', () => {
    const b = insertText(bufferOf('SELECT ;', 7), 'a,\r\n  b\r  c\u0007');
    expect(b.lines).toEqual(['SELECT a,', '  b', '  c;']);
    expect(b.cursor).toEqual({ line: 2, column: 3 });
  });

  it('moves across lines with the arrows, keeping the column it aims for through a shorter line', () => {
    let b = bufferOf('SELECT title\nFROM\nsongs ORDER BY 1', 10);
    expect(b.cursor).toEqual({ line: 0, column: 10 });
    b = moveVertically(b, 1);
    expect(b.cursor).toEqual({ line: 1, column: 4 });
    b = moveVertically(b, 1);
    expect(b.cursor).toEqual({ line: 2, column: 10 });
    b = moveVertically(b, 1);
    expect(b.cursor).toEqual({ line: 2, column: 16 });
    b = moveVertically(moveHome(b), -1);
    expect(b.cursor).toEqual({ line: 1, column: 0 });
    b = moveVertically(moveVertically(b, -1), -1);
    expect(b.cursor).toEqual({ line: 0, column: 0 });
    b = moveRight(moveEnd(b));
    expect(b.cursor).toEqual({ line: 1, column: 0 });
    b = moveLeft(b);
    expect(b.cursor).toEqual({ line: 0, column: 12 });
  });

  it('moves over and deletes an emoji as one character', () => {
    let b = bufferOf('a😀b', 1);
    b = moveRight(b);
    expect(b.cursor.column).toBe(3);
    b = backspace(b);
    expect(textOf(b)).toBe('ab');
    b = deleteForward(moveLeft(bufferOf('😀x', 2)));
    expect(textOf(b)).toBe('x');
  });

  type Op = { op: 'insert'; text: string } | { op: 'backspace' | 'delete' | 'left' | 'right' | 'home' | 'end' | 'up' | 'down' };
  const ops = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('insert' as const), text: fc.string({ unit: fc.constantFrom('a', 'b', ' ', ';', '\n', '\r\n', 'é', '\t') }) }),
      fc.record({ op: fc.constantFrom('backspace' as const, 'delete' as const, 'left' as const, 'right' as const, 'home' as const, 'end' as const) }),
      fc.record({ op: fc.constantFrom('up' as const, 'down' as const) }),
    ),
    { maxLength: 60 },
  );

  it('keeps the text and the cursor what a flat string and an offset give, through any edits (fast-check)', () => {
    fc.assert(
      fc.property(ops, (steps: Op[]) => {
        let b = EMPTY_BUFFER;
        let text = '';
        let at = 0;
        for (const step of steps) {
          const lineStart = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
          const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
          switch (step.op) {
            case 'insert': {
              const clean = step.text.replace(/\r\n/g, '\n');
              text = text.slice(0, at) + clean + text.slice(at);
              at += clean.length;
              b = insertText(b, step.text);
              break;
            }
            case 'backspace':
              if (at > 0) [text, at] = [text.slice(0, at - 1) + text.slice(at), at - 1];
              b = backspace(b);
              break;
            case 'delete':
              text = text.slice(0, at) + text.slice(at + 1);
              b = deleteForward(b);
              break;
            case 'left':
              at = Math.max(0, at - 1);
              b = moveLeft(b);
              break;
            case 'right':
              at = Math.min(text.length, at + 1);
              b = moveRight(b);
              break;
            case 'home':
              at = lineStart;
              b = moveHome(b);
              break;
            case 'end':
              at = lineEnd;
              b = moveEnd(b);
              break;
            case 'up':
            case 'down':
              b = moveVertically(b, step.op === 'up' ? -1 : 1);
              at = offsetOf(b);
              break;
          }
          expect(textOf(b)).toBe(text);
          expect(offsetOf(b)).toBe(at);
          expect(b.lines).toEqual(text.split('\n'));
          expect(b.cursor.column).toBeLessThanOrEqual(b.lines[b.cursor.line]!.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the editor on screen', () => {
  it('wraps a long line at the width, with a cell for the cursor at its end', () => {
    const b = bufferOf('abcdefgh\nxy');
    expect(layoutRows(b.lines, b.cursor, 4)).toEqual([
      { line: 0, from: 0, to: 4, cursor: null },
      { line: 0, from: 4, to: 8, cursor: null },
      { line: 0, from: 8, to: 8, cursor: null },
      { line: 1, from: 0, to: 2, cursor: 2 },
    ]);
    const start = bufferOf('abcdefgh\nxy', 4);
    expect(layoutRows(start.lines, start.cursor, 4).map((r) => r.cursor)).toEqual([null, 4, null, null]);
  });

  it('scrolls as little as it must to show the cursor', () => {
    const b = bufferOf(Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n'));
    const rows = layoutRows(b.lines, b.cursor, 20);
    expect(scrollTop(rows, 3, 0)).toBe(7);
    const first = bufferOf(textOf(b), 0);
    expect(scrollTop(layoutRows(first.lines, first.cursor, 20), 3, 7)).toBe(0);
    const fifth = bufferOf(textOf(b), textOf(b).indexOf('line 5'));
    expect(scrollTop(layoutRows(fifth.lines, fifth.cursor, 20), 3, 4)).toBe(4);
  });
});

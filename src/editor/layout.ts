import type { Cursor } from './buffer.js';

/** One row of the editor on screen: a piece of a line, [from, to), and the cursor's column in it, if it is there. */
export interface EditorRow {
  line: number;
  from: number;
  to: number;
  cursor: number | null;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The lines wrapped at `width` columns. Each line takes the rows its text
 * and one more cell need, so that the cursor at its end always has a cell
 * and a line does not change its rows as the cursor comes and goes.
 */
export function layoutRows(lines: readonly string[], cursor: Cursor, width: number): EditorRow[] {
  const size = Math.max(1, width);
  const rows: EditorRow[] = [];
  lines.forEach((text, line) => {
    let from = 0;
    for (;;) {
      let to = Math.min(text.length, from + size);
      // A surrogate pair stays on one row.
      if (to < text.length && to > from + 1 && isHigh(text.charCodeAt(to - 1))) to -= 1;
      const last = to === text.length && to - from < size;
      const here = cursor.line === line && cursor.column >= from && (cursor.column < to || (last && cursor.column === to));
      rows.push({ line, from, to, cursor: here ? cursor.column : null });
      if (last) break;
      from = to;
    }
  });
  return rows;
}

/** The first row shown: `top` moved as little as needed to show the cursor's row, and within the rows. */
export function scrollTop(rows: readonly EditorRow[], height: number, top: number): number {
  const cursorRow = Math.max(
    0,
    rows.findIndex((r) => r.cursor !== null),
  );
  let next = Math.min(top, Math.max(0, rows.length - height));
  if (cursorRow < next) next = cursorRow;
  if (cursorRow >= next + height) next = cursorRow - height + 1;
  return Math.max(0, next);
}

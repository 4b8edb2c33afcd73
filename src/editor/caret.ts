/**
 * The line of a statement at fault and a caret under the column, as psql
 * shows a server error's position (`LINE 3: FORM songs` / `^`): a line
 * number gutter, the line (cut around the column when wider than `width`,
 * with … where it is cut), and `^` under the character. Line and column
 * count from 1; a position past the text points just after its end.
 */
export function caretLines(text: string, line: number, column: number, width: number): [string, string] {
  const lines = text.split(/\r\n?|\n/);
  const at = Math.max(1, Math.min(line, lines.length));
  const source = lines[at - 1]!.replace(/\t/g, ' ');
  const gutter = `${at} │ `;
  const room = Math.max(8, width - gutter.length);
  let index = Math.max(0, Math.min(column - 1, source.length));
  let shown = source;
  if (source.length + 1 > room) {
    const start = Math.max(0, Math.min(index - Math.floor(room / 2), source.length + 1 - room));
    const end = start + room;
    shown = (start > 0 ? '…' : '') + source.slice(start + (start > 0 ? 1 : 0), end - (end < source.length ? 1 : 0)) + (end < source.length ? '…' : '');
    index -= start;
  }
  return [gutter + shown, `${' '.repeat(gutter.length - 2)}│ ${' '.repeat(index)}^`];
}

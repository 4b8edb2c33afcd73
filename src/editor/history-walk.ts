/**
 * Walking the statement history with Ctrl-P and Ctrl-N, as pgcli
 * (prompt_toolkit) does: the texts walked are the history, oldest first,
 * and the draft being written after them. Leaving a text keeps it as it
 * was left, edits included, so the draft is found again at the end; the
 * history itself changes only when a statement runs.
 */
export interface HistoryWalk {
  /** The history's statements, then the draft. */
  readonly texts: readonly string[];
  /** Which of them the editor shows. */
  readonly at: number;
}

/** A walk that starts at the draft, after the history's statements (oldest first). */
export function startWalk(history: readonly string[], draft = ''): HistoryWalk {
  return { texts: [...history, draft], at: history.length };
}

/**
 * One step back (-1) or forward (+1) from the text shown, `shown` kept in
 * its place. Statements equal to the text shown are passed over, so that
 * the first Ctrl-P after running a statement goes to the one before it.
 * Null when there is nowhere to go.
 */
export function step(walk: HistoryWalk, shown: string, by: -1 | 1): { walk: HistoryWalk; text: string } | null {
  const texts = walk.texts.map((t, i) => (i === walk.at ? shown : t));
  let at = walk.at + by;
  while (at >= 0 && at < texts.length && texts[at] === shown && at !== texts.length - 1) at += by;
  if (at < 0 || at >= texts.length) return null;
  return { walk: { texts, at }, text: texts[at]! };
}

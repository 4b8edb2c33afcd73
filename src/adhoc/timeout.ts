/** A statement's timeout: how long the server lets it run before cancelling it. */

/** Five minutes: ample for an analyst's question on this warehouse, short enough that a runaway one ends. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** statement_timeout is an int of milliseconds. */
const MAX_TIMEOUT_MS = 2_147_483_647;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `2m`, `1.5h` as milliseconds, `0` as none (0); null for anything else. */
export function parseTimeout(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) return /^0+$/.test(text.trim()) ? 0 : null;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
  if (ms > MAX_TIMEOUT_MS) return null;
  return ms === 0 && Number(match[1]) !== 0 ? null : ms;
}

/** Milliseconds as the largest whole unit: 300000 → `5m`, 1500 → `1500ms`; 0 → `none`. */
export function formatTimeout(ms: number): string {
  if (ms === 0) return 'none';
  for (const unit of ['h', 'm', 's'] as const) if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${ms}ms`;
}

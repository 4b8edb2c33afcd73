import { EXIT, SparkifyError } from '../sparkify-error.js';

/**
 * A parser for dwh.cfg with Python configparser's rules, which is what the
 * Udacity files are written for: `key = value` or `key: value`, full-line
 * comments only (a `#` or `;` inside a value is part of it, as in a password),
 * indented continuation lines, case-insensitive keys. The `ini` package cuts
 * unquoted values at `#`/`;`, which silently corrupts such passwords.
 */
export interface CfgEntry {
  value: string;
  line: number;
}

export type CfgSections = Map<string, Map<string, CfgEntry>>;

/** A line of dwh.cfg that cannot be read; the caller adds the file. A settings problem: exit code 2. */
export class CfgSyntaxError extends SparkifyError {
  readonly exitCode = EXIT.usage;
  override name = 'CfgSyntaxError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

// Keys whose values are secrets: a line that cannot be read is not quoted back when it may hold one.
const SECRET_KEY_LINE = /^(DB_PASSWORD|SECRET|SESSION_TOKEN)\b/i;

export function parseCfg(text: string): CfgSections {
  const sections: CfgSections = new Map();
  let current: Map<string, CfgEntry> | undefined;
  let last: CfgEntry | undefined;
  let lastKey = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') last = undefined;
      return;
    }
    if (/^\s/.test(raw) && last) {
      last.value = `${last.value}\n${trimmed}`;
      return;
    }
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      const name = header[1]!.trim().toUpperCase();
      if (sections.has(name)) throw new CfgSyntaxError(line, `section [${name}] appears twice`);
      current = new Map();
      sections.set(name, current);
      last = undefined;
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!pair) {
      // `DB_PASSWORD hunter2`, or a password on the line after its key.
      const mayHoldSecret = SECRET_KEY_LINE.test(trimmed) || (last !== undefined && SECRET_KEY_LINE.test(lastKey));
      throw new CfgSyntaxError(
        line,
        `expected "KEY = value", ${mayHoldSecret ? 'got a line not shown here (it may hold a secret)' : `got "${trimmed.slice(0, 60)}"`}`,
      );
    }
    if (!current) throw new CfgSyntaxError(line, `"${pair[1]}" is outside any [SECTION]`);
    const key = pair[1]!.toUpperCase();
    if (current.has(key)) throw new CfgSyntaxError(line, `key ${key} appears twice in its section`);
    last = { value: pair[2]!, line };
    lastKey = key;
    current.set(key, last);
  });
  return sections;
}

/** `'value'` and `"value"` are unwrapped, as the Udacity template quotes its values. */
export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === "'" || v[0] === '"') && v.at(-1) === v[0]) return v.slice(1, -1);
  return v;
}

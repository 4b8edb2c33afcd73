import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** node:util parseArgs, with its errors turned into one-line usage errors. */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (error) {
    // One line: node's further lines of advice name syntax our users need not learn.
    const message = (error as Error).message
      .split('\n')[0]!
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/\.$/, '');
    throw new UsageError(`sparkify ${command}: ${message} (see sparkify ${command} --help)`);
  }
}

/** --max-errors N: a whole number from 0 (the default: the first bad row fails the run). */
export function parseMaxErrors(command: string, value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d{1,9}$/.test(value.trim())) {
    throw new UsageError(`sparkify ${command}: --max-errors takes a whole number from 0 to 999999999, not "${value}"`);
  }
  return Number(value);
}

import path from 'node:path';
import { formatBytes, formatDuration, formatNumber } from '../format/numbers.js';
import { GENERATE_DEFAULTS, generateDataset } from '../generate/generate.js';
import type { CommandIO } from './io.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../sparkify-error.js';
import { parseCommandArgs } from './parse.js';

const d = GENERATE_DEFAULTS;
export const GENERATE_HELP = `Usage: sparkify generate --out DIR [options]

Writes a synthetic Sparkify data set in exactly the Udacity layout and formats
(log_data/YYYY/MM/YYYY-MM-DD-events.json, song_data/A/B/C/TR….json,
log_json_path.json). The same options give byte-identical files.

Options:
  --out DIR           where to write (required)
  --events N          log events in all (default ${d.events})
  --songs M           song files (default ${d.songs})
  --users U           listeners (default ${d.users})
  --days D            days of logs (default ${d.days})
  --start DATE        first day, YYYY-MM-DD (default ${new Date(d.start).toISOString().slice(0, 10)})
  --seed S            random seed (default ${d.seed})
  --match-rate R      share of plays that match a song file, 0 to 1 (default ${d.matchRate})
  -h, --help          show this help`;

function count(option: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value.replaceAll('_', '')) ? Number(value.replaceAll('_', '')) : NaN;
  if (!(n >= min) || !Number.isSafeInteger(n)) throw new UsageError(`sparkify generate: --${option} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

export async function generateCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs('generate', args, {
    out: { type: 'string' },
    events: { type: 'string' },
    songs: { type: 'string' },
    users: { type: 'string' },
    days: { type: 'string' },
    start: { type: 'string' },
    seed: { type: 'string' },
    'match-rate': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${GENERATE_HELP}\n`);
    return EXIT.ok;
  }
  if (!values.out) throw new UsageError('sparkify generate: --out DIR is required');
  const start = values.start === undefined ? d.start : Date.parse(`${values.start}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start ?? '2000-01-01') || Number.isNaN(start)) {
    throw new UsageError(`sparkify generate: --start must be a date like 2018-11-01, got "${values.start}"`);
  }
  const matchRate = values['match-rate'] === undefined ? d.matchRate : Number(values['match-rate']);
  if (!(matchRate >= 0 && matchRate <= 1)) throw new UsageError(`sparkify generate: --match-rate must be between 0 and 1, got "${values['match-rate']}"`);
  const out = path.resolve(io.cwd, values.out);
  const started = performance.now();
  const summary = generateDataset({
    out,
    events: count('events', values.events, d.events, 1),
    songs: count('songs', values.songs, d.songs, 1),
    users: count('users', values.users, d.users, 1),
    days: count('days', values.days, d.days, 1),
    start,
    seed: count('seed', values.seed, d.seed, 0),
    matchRate,
  });
  const pct = summary.plays === 0 ? 0 : (100 * summary.matchedPlays) / summary.plays;
  io.stderr.write(
    `Wrote ${formatNumber(summary.events)} events (${formatNumber(summary.plays)} plays, ${pct.toFixed(1)}% matching a song) in ${summary.logFiles} log files ` +
      `and ${formatNumber(summary.songs)} song files, ${formatBytes(summary.bytes)}, to ${out} in ${formatDuration(performance.now() - started)}\n`,
  );
  return EXIT.ok;
}

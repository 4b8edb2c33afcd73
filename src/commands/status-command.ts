import { loadConfig } from '../config/load-config.js';
import { describeLocation } from '../config/location.js';
import { describeConnection } from '../config/mask.js';
import { formatNumber } from '../format/numbers.js';
import { tableCounts } from '../warehouse/table-counts.js';
import { loadSummary } from '../etl/load-summary.js';
import { lastIncrementalLine } from '../format/load-summary.js';
import type { CommandIO } from './io.js';
import { EXIT } from '../sparkify-error.js';
import { parseCommandArgs } from './parse.js';
import { withWarehouse } from './with-warehouse.js';

export const STATUS_HELP = `Usage: sparkify status [--config PATH]

Shows the engine, the connection (password masked), the data locations, the
row count of every table, the files loaded (load_history) and the last
incremental run.

Options:
  --config PATH   the dwh.cfg to use (default ./dwh.cfg)
  -h, --help      show this help`;

export async function statusCommand(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseCommandArgs('status', args, {});
  if (values.help) {
    io.stdout.write(`${STATUS_HELP}\n`);
    return EXIT.ok;
  }
  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  const { server, dialect, counts, loads } = await withWarehouse(config, async (wh) => ({
    server: wh.serverName,
    dialect: wh.dialect,
    counts: await tableCounts(wh, io.signal),
    loads: await loadSummary(wh, io.signal),
  }));
  const lines = [
    ['engine', `${config.engine} (${server}, ${dialect} dialect)`],
    ['config', config.file ?? 'none (defaults: embedded warehouse, generated sample)'],
    ['connection', describeConnection(config)],
    ['log data', describeLocation(config.s3.logData)],
    ['jsonpaths', describeLocation(config.s3.logJsonPath)],
    ['song data', describeLocation(config.s3.songData)],
  ];
  const out = lines.map(([k, v]) => `${k!.padEnd(12)}${v}`);
  out.push('', `${'table'.padEnd(16)}${'rows'.padStart(12)}`);
  for (const [table, n] of Object.entries(counts)) {
    out.push(`${table.padEnd(16)}${(n === null ? 'missing' : formatNumber(n)).padStart(12)}`);
  }
  if (loads) {
    out.push('', `${'files loaded'.padEnd(16)}${'files'.padStart(12)}${'rows'.padStart(12)}`);
    for (const t of loads.tables) out.push(`${t.table.padEnd(16)}${formatNumber(t.files).padStart(12)}${formatNumber(t.rows).padStart(12)}`);
    out.push(`${'last incremental run'.padEnd(22)}${lastIncrementalLine(loads)}`);
  }
  if (Object.values(counts).some((n) => n === null)) out.push('', 'Some tables are missing: run `sparkify reset` or `sparkify reload`.');
  io.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}

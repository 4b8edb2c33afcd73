import { loadConfig } from '../config/load-config.js';
import { formatDuration } from '../format/numbers.js';
import { OUTPUT_FORMATS, renderResult, type OutputFormat } from '../format/result-formats.js';
import { QUERIES, queryNamed, type CannedQuery } from '../queries/catalog.js';
import { bindValues } from '../queries/query-params.js';
import { runQuery } from '../queries/run-query.js';
import type { CommandIO } from './io.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../sparkify-error.js';
import { parseCommandArgs } from './parse.js';
import { withWarehouse } from './with-warehouse.js';

export const QUERY_HELP = `Usage: sparkify query --list
       sparkify query NAME [--param NAME=VALUE]... [--format table|csv|json] [--sql] [--config PATH]

Runs a canned analytical query and prints its result on stdout.

Options:
  -l, --list      list the queries with their descriptions
  -p, --param     a value the query asks for, e.g. --param artist="Des'ree"
                  (sent to the server as a bind parameter, never as SQL)
  -f, --format    table (default), csv or json
  --sql           print the query's SQL instead of running it
  --config PATH   the dwh.cfg to use (default ./dwh.cfg)
  -h, --help      show this help`;

export async function queryCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'query',
    args,
    {
      list: { type: 'boolean', short: 'l' },
      format: { type: 'string', short: 'f' },
      sql: { type: 'boolean' },
      param: { type: 'string', short: 'p', multiple: true },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(`${QUERY_HELP}\n`);
    return EXIT.ok;
  }
  if (values.list) {
    const width = Math.max(...QUERIES.map((q) => q.name.length)) + 2;
    const takes = (q: CannedQuery) => (q.params ? ` (--param ${q.params.map((p) => `${p.name}=…`).join(' --param ')})` : '');
    io.stdout.write(QUERIES.map((q) => `${q.name.padEnd(width)}${q.title}: ${q.description}${takes(q)}`).join('\n') + '\n');
    return EXIT.ok;
  }
  const names = QUERIES.map((q) => q.name).join(', ');
  if (positionals.length !== 1) throw new UsageError(`sparkify query: name one query (${names}), or --list`);
  const query = queryNamed(positionals[0]!);
  if (!query) throw new UsageError(`sparkify query: unknown query "${positionals[0]}" (queries: ${names})`);
  const format = (values.format ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`sparkify query: --format must be table, csv or json, got "${values.format}"`);
  if (values.sql) {
    const placeholders = (query.params ?? []).map((p, i) => `-- $${i + 1}: ${p.name} (${p.type}): ${p.description}\n`).join('');
    io.stdout.write(`${placeholders}${query.sql};\n`);
    return EXIT.ok;
  }
  const given: Record<string, string> = {};
  for (const pair of values.param ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`sparkify query: --param takes NAME=VALUE, got "${pair}"`);
    given[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const bound = bindValues(query, given);
  if ('error' in bound) throw new UsageError(`sparkify query: ${bound.error}`);
  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  const result = await withWarehouse(config, (wh) => runQuery(wh, query.sql, bound.values, io.signal));
  io.stdout.write(renderResult(result, format));
  io.stderr.write(`${query.title}: ${result.rows.length.toLocaleString('en-US')} row${result.rows.length === 1 ? '' : 's'} in ${formatDuration(result.ms)}\n`);
  return EXIT.ok;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectedTable } from './sql-output.js';
import { loadConfig } from '../config/load-config.js';
import { DEFAULT_TIMEOUT_MS, formatTimeout, parseTimeout } from '../adhoc/timeout.js';
import { RowCollector } from '../adhoc/collect-rows.js';
import { runStatement, type ResultSink } from '../adhoc/run-statement.js';
import { splitStatements } from '../adhoc/split-statements.js';
import { SqlError } from '../adhoc/sql-error.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../format/result-formats.js';
import { csvStream, jsonStream } from '../format/streamed-results.js';
import type { CommandIO } from './io.js';
import { EXIT } from '../sparkify-error.js';
import { UsageError } from '../usage-error.js';
import { parseCommandArgs } from './parse.js';
import { Output } from './output.js';
import { withWarehouse } from './with-warehouse.js';

export const SQL_HELP = `Usage: sparkify sql "STATEMENT[; STATEMENT]..." [OPTIONS]
       sparkify sql -f FILE.sql [OPTIONS]
       sparkify sql - [OPTIONS]          (the statements from stdin)

Runs SQL on the warehouse, one statement after another, and prints each
result on stdout (csv and json: a statement's tag, e.g. INSERT 0 3, on
stderr). The first statement that fails stops the run: one line on stderr
with its line and column, exit 1.

Options:
  -f, --file FILE      read the statements from FILE (- for stdin)
  --format FORMAT      table (the default; at most 10,000 rows), csv or json
                       (csv and json stream every row, in constant memory)
  --write              allow writes, each statement committed as it ends;
                       without it each statement runs in a read-only
                       transaction, and a write is refused
  --timeout DURATION   how long the server lets a statement run (with a
                       query, each fetch of 1,000 rows): 500ms, 30s, 2m, 1h,
                       or 0 for no limit (default ${formatTimeout(DEFAULT_TIMEOUT_MS)})
  --config PATH        the dwh.cfg to use (default ./dwh.cfg)
  -h, --help           show this help`;

const WAYS = 'as an argument ("SELECT …"), with -f FILE.sql, or - for stdin';

export async function sqlCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'sql',
    statementsAsPositionals(args),
    { file: { type: 'string', short: 'f' }, format: { type: 'string' }, write: { type: 'boolean' }, timeout: { type: 'string' } },
    true,
  );
  if (values.help) {
    io.stdout.write(`${SQL_HELP}\n`);
    return EXIT.ok;
  }
  const format = (values.format ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(format)) throw new UsageError(`sparkify sql: --format must be table, csv or json, got "${values.format}"`);
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(values.timeout);
  if (timeoutMs === null) throw new UsageError(`sparkify sql: --timeout takes a duration such as 500ms, 30s, 2m or 1h (0: no limit), not "${values.timeout}"`);
  const { script, source } = await readScript(values.file, positionals, io);
  if (splitStatements(script).length === 0) throw new UsageError(`sparkify sql: no statement in ${source ?? 'the argument'}: give them ${WAYS}`);

  const config = loadConfig({ configPath: values.config, cwd: io.cwd, env: io.env });
  const out = new Output(io.stdout);
  const signal = AbortSignal.any([io.signal, out.closed]);
  try {
    await withWarehouse(config, async (wh) => {
      const statements = splitStatements(script, { backslashEscapes: wh.engine.backslashEscapesInStrings });
      let shown = 0;
      for (const statement of statements) {
        const stream = format === 'csv' ? csvStream() : format === 'json' ? jsonStream() : null;
        const separator = format === 'csv' ? '\r\n' : '\n';
        const collector = new RowCollector();
        const sink: ResultSink = stream
          ? {
              columns: (columns) => out.write((shown++ > 0 ? separator : '') + stream.columns(columns)),
              rows: (batch) => out.write(stream.rows(batch)),
            }
          : collector;
        const outcome = await runStatement(wh, statement, sink, { write: values.write, timeoutMs, signal });
        if (stream) {
          if (outcome.columns) await out.write(stream.end());
          io.stderr.write(`${outcome.tag}\n`);
        } else {
          await out.write(`${shown++ > 0 ? '\n' : ''}${collectedTable(outcome, collector)}\n`);
        }
      }
    });
  } catch (error) {
    const closed = out.closedBy;
    if (closed && !io.signal.aborted) {
      // The statement was cancelled because the output closed: say so only if that was a failure, not a reader that left.
      if (closed.readerLeft) return EXIT.ok;
      io.stderr.write(`sparkify sql: ${closed.message}\n`);
      return EXIT.failure;
    }
    if (!(error instanceof SqlError)) throw error;
    io.stderr.write(`sparkify sql: ${source ? `${source}, ` : ''}${error.message}${hintFor(error)}\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

/** A statement that starts with a comment (`-- top plays …`) is no option: it goes after `--`, as a positional. */
function statementsAsPositionals(args: string[]): string[] {
  const statementLike = (arg: string) => arg.startsWith('-') && /\s/.test(arg);
  if (args.includes('--') || !args.some(statementLike)) return args;
  return [...args.filter((arg) => !statementLike(arg)), '--', ...args.filter(statementLike)];
}

/** The way out of a refused write or a timeout, in the command line's words. */
function hintFor(error: SqlError): string {
  if (error.kind === 'read-only') return ' (statements run read-only: --write allows writes)';
  if (error.kind === 'timeout') return ' (--timeout sets it; 0: no limit)';
  return '';
}

/** The script, from the argument, a file or stdin, and how errors name it (a file as given, `stdin`, or nothing for the argument). */
async function readScript(file: string | undefined, positionals: string[], io: CommandIO): Promise<{ script: string; source?: string }> {
  if (file !== undefined && positionals.length > 0) throw new UsageError(`sparkify sql: give the statements one way: ${WAYS}, not both`);
  if (positionals.length > 1) throw new UsageError(`sparkify sql: give the statements as one argument, in quotes (got ${positionals.length})`);
  if (file === undefined && positionals.length === 0) throw new UsageError(`sparkify sql: no statement given: give them ${WAYS}`);
  if (file === '-' || positionals[0] === '-') return { script: await readStdin(io), source: 'stdin' };
  if (file === undefined) return { script: positionals[0]! };
  try {
    return { script: withoutBom(readFileSync(path.resolve(io.cwd, file), 'utf8')), source: file };
  } catch (error) {
    const why = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`sparkify sql: cannot read ${file}: ${why}`);
  }
}

async function readStdin(io: CommandIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return withoutBom(Buffer.concat(chunks).toString('utf8'));
}

const withoutBom = (text: string) => text.replace(/^\uFEFF/, '');

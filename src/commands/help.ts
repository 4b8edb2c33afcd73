import { STAGE_NAMES } from '../etl/events.js';

export const MAIN_HELP = `sparkify: the Sparkify music-analytics warehouse in your terminal

Usage: sparkify [COMMAND] [OPTIONS]

With no command, on a terminal, opens the interactive app.

Commands:
  reset [--yes]            drop and recreate every table
  etl [--stage NAME]...    run the pipeline, or only the named stages
  etl --incremental        load only the files not loaded before, or changed
                           since, and bring the star tables up to date
                           (--prune: remove the rows of files gone)
  reload                   reset + the whole pipeline, as one transaction
                           (reset, etl and reload take --dry-run: the SQL
                           they would run, without connecting; etl and
                           reload take --max-errors N: leave out up to N
                           bad rows, recorded in load_errors)
  status                   engine, connection, row counts, files loaded
  query --list             list the canned queries
  query NAME [--param NAME=VALUE]... [--format table|csv|json]
                           run a canned query
  sql "STATEMENT" | -f FILE.sql | -
                           run your own SQL (--format table|csv|json),
                           read-only unless --write, with a statement
                           timeout (--timeout, default 5m)
  generate --out DIR       write a synthetic data set in the Udacity formats

Stages: ${STAGE_NAMES.join(', ')}

Options (every command):
  --config PATH            the dwh.cfg to use (default ./dwh.cfg; without one,
                           an embedded PostgreSQL loads a generated sample)
  -h, --help               help for the command
  -v, --version            the version

Environment: SPARKIFY_<SECTION>_<KEY> overrides a dwh.cfg value,
e.g. SPARKIFY_CLUSTER_DB_PASSWORD.

Exit codes: 0 ok, 1 failure, 2 configuration or usage error, 130 interrupted.`;

import type { Config } from '../config/types.js';
import type { DdlVariant } from '../sql/render-ddl.js';
import type { Source, Table } from '../sql/schema.js';
import type { Statement } from '../sql/statement.js';
import type { TableBuild } from '../sql/table-build.js';
import type { ListedFile } from '../etl/sources/source.js';
import type { Warehouse } from '../warehouse/connection.js';
import type { DialectName } from '../warehouse/dialect.js';

export type { Source } from '../sql/schema.js';

/** The files an incremental run loads into a table, and the id of the first (the next count up). */
export interface ListedFiles {
  toLoad: readonly ListedFile[];
  firstFileId: number;
  /** When the run began: load_history's loaded_at. */
  loadedAt: Date;
}

/**
 * How an extract fills its staging table, as its engine plans it: the client
 * streams the rows it parses (`stream`: PostgreSQL), or the server reads the
 * files itself (`server`: Redshift's COPY from S3).
 */
export interface StagingFill {
  kind: 'stream' | 'server';
  /** Server: what is sent just before the COPY (the server's time, to find a failed COPY's rows). */
  started: Statement | null;
  copy: Statement;
  /** Server: how many rows the COPY loaded. */
  count: Statement | null;
  /** The rows the COPY left out (--max-errors), into load_errors. */
  recordErrors: Statement | null;
  /** Stream: fresh statistics for the transforms. */
  analyze: Statement | null;
  /** Stream: a load_history row per file loaded. */
  recordLoads: Statement | null;
}

/**
 * How an incremental run fills a staging table with the files it lists as
 * new: the client streams their rows, each ending with its file's id; or the
 * server copies each object by its full key, then the rows take its id.
 */
export type ListedFill =
  | {
      kind: 'stream';
      copy: Statement;
      recordErrors: Statement | null;
      recordLoads: Statement;
      analyze: Statement;
      /** The table's block-range index made to cover the new rows' pages, if it has one. */
      summarize: Statement | null;
      statements: Statement[];
    }
  | {
      kind: 'server';
      setup: Statement[];
      perFile: ServerFileFill[];
      recordLoads: Statement;
      teardown: Statement[];
      statements: Statement[];
      /** The bad rows the table's new files may leave out in all (each COPY may leave out that many). */
      maxErrors: number;
    };

/** Server: one object copied into the table, by its full key, then its rows given its file id, in this order. */
export interface ServerFileFill {
  /** The server's time just before the COPY (to find a failed COPY's rows). */
  started: Statement;
  copy: Statement;
  /** The rows the COPY loaded, moved into staging with their file id. */
  move: Statement;
  /** The rows it left out (--max-errors), into load_errors. */
  recordErrors: Statement | null;
  /** The scratch table emptied for the next object. */
  clear: Statement;
}

/** The statements that take the run lock, and give it back: printed by --dry-run, sent by the run. */
export interface LockPlan {
  take: Statement[];
  release: Statement[];
}

export type ReleaseLock = () => Promise<void>;

/** A server sparkify starts for the warehouse itself (the embedded one), which it leaves when done. */
export interface LocalServer {
  port: number;
  user: string;
  password: string;
  /** Leaves the server: the last of its users stops it. */
  leave(): Promise<void>;
}

/**
 * One engine: everything in which PostgreSQL (with the embedded server as
 * its local variant) and Redshift differ, behind one interface, in the
 * manner of dbt's adapters. Outside src/engines and src/config, nothing asks
 * which engine it runs on; it asks the engine.
 */
export interface Engine {
  /** The SQL dialect's name: for display. */
  readonly dialect: DialectName;
  /** How the dry run names it: `redshift dialect, Serverless`. */
  readonly description: string;
  readonly ddl: DdlVariant;
  /** Starts (or joins) the server, where sparkify runs its own; connects to the configured one otherwise. */
  startServer?(config: Config): Promise<LocalServer>;
  /** `start_time` from the events' `ts` (epoch milliseconds), in this dialect. */
  readonly startTimeSql: string;
  /** Whether it enforces the keys and foreign keys the schema declares (PostgreSQL; Redshift enforces none). */
  readonly enforcesKeys: boolean;
  /** Why this engine cannot leave out that many bad rows (--max-errors), or null when it can. */
  maxErrorsProblem(maxErrors: number): string | null;

  /** What follows each new table's CREATE (PostgreSQL: the staging tables' statistics targets). */
  setupTableSql(table: Table, build: TableBuild): string[];
  /** The new tables' keys, built once their rows are in; none where the engine enforces none. */
  keysSql(build: TableBuild): string[];
  /** The query that names the validated constraints, which make checks needless; null where there are none. */
  readonly constraintsInPlaceSql: string | null;

  planStagingFill(table: Table, source: Source, config: Config, build: TableBuild, maxErrors: number): StagingFill;
  /**
   * Whether the rows a reload (or an etl of a staging table) loads carry their
   * file's id. Where they do not (Redshift's COPY of a whole prefix), a file
   * they came from cannot be replaced or pruned alone.
   */
  readonly reloadRowsKnowTheirFile: boolean;
  /** An incremental run's fill of the live staging table from the files it lists as new (`files.toLoad`, numbered from `files.firstFileId`). */
  planListedFill(table: Table, source: Source, config: Config, files: ListedFiles, maxErrors: number): ListedFill;
  /** Sends a server fill (kind `server`); returns the rows loaded and left out. */
  runListedServerFill(wh: Warehouse, fill: Extract<ListedFill, { kind: 'server' }>, signal: AbortSignal): Promise<{ rows: number; rejected?: number }>;
  /** Sends a server-side COPY (kind `server`), and on failure says which rows failed and why. */
  runServerCopy(wh: Warehouse, started: string, copy: string, signal: AbortSignal): Promise<void>;

  lockPlan(config: Config): LockPlan;
  acquireRunLock(wh: Warehouse): Promise<ReleaseLock>;

  /** The live tables' privileges, given to the new ones before the swap. */
  grantsSql(build: TableBuild): string[];
  /** Sent on a second connection just before the swap (the embedded server: a checkpoint). */
  readonly flushBeforeSwap: Statement[];
  /** What each attempt at the swap starts with, where the engine can step back and try again. */
  swapAttemptSql(build: TableBuild): string[];
  /** After an attempt that waited too long: back to before it. */
  readonly swapStepBackSql: string[];
  swapSql(build: TableBuild): string[];
  /** The other sessions holding the tables the swap needs ($1: their names), for the message when it gives up. */
  readonly swapBlockersSql: string | null;

  /** The columns of every table and view in a schema ($1), in order: table_name, column_name, data_type (ad-hoc SQL's completion). */
  readonly columnsCatalogSql: string;
  /** Whether a backslash escapes the next character in an ordinary '…' string (standard_conforming_strings off), as to where a statement ends. */
  readonly backslashEscapesInStrings: boolean;
  /**
   * A table's columns in their order, each with its type ($1: the table's
   * schema, $2: its name): column_name, data_type, and character_maximum_length
   * where the type's length is apart from its name (null where data_type says it all).
   */
  readonly previewColumnsSql: string;
  /** A table's size on disk ($1: its schema, $2: its name): one row, `bytes`, or none where the server does not say (Redshift: an empty table). */
  readonly tableSizeSql: string;
}

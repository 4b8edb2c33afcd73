/**
 * What proves the peer did the same job (bench/duckdb-peer.ts), and the
 * canned queries on both engines: the same SQL answered by sparkify's
 * warehouse and by DuckDB's file, read as the same rows.
 *
 * A table's digest is computed in each engine by the same recipe: each row
 * as one text (every column but songplay_id and file_id, NULL as \N,
 * timestamps as epoch microseconds, doubles as their shortest exact text),
 * its md5, and the md5 of all those md5s in order. Equal digests and counts
 * mean the same rows, whatever their order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QUERIES, type CannedQuery } from '../src/queries/catalog.js';
import { STAGING_TABLES, STAR_TABLES, type Column, type Table } from '../src/sql/schema.js';
import type { Warehouse } from '../src/warehouse/connection.js';

export type Engine = 'postgres' | 'duckdb';

/** An engine's connection as the checks need it: rows as arrays. */
export interface Side {
  engine: Engine;
  rows(sql: string, values?: (string | number)[]): Promise<unknown[][]>;
}

export function postgresSide(wh: Warehouse): Side {
  return {
    engine: 'postgres',
    rows: async (sql, values = []) => (await wh.cancellable(undefined, (client) => client.query({ text: sql, values, rowMode: 'array' }))).rows as unknown[][],
  };
}

export function duckdbSide(connection: DuckDBConnection): Side {
  return { engine: 'duckdb', rows: async (sql, values = []) => (await connection.runAndReadAll(sql, values)).getRowsJson() };
}

function columnText(column: Column, engine: Engine): string {
  const c = `"${column.name}"`;
  switch (column.type) {
    case 'text':
      return `COALESCE(${c}, '\\N')`;
    case 'timestamp':
      return engine === 'postgres'
        ? `COALESCE(CAST(CAST(EXTRACT(epoch FROM ${c}) * 1000000 AS BIGINT) AS TEXT), '\\N')`
        : `COALESCE(CAST(epoch_us(${c}) AS VARCHAR), '\\N')`;
    case 'double':
      // PostgreSQL prints 1511974018453.0 as 1511974018453; DuckDB keeps the ".0". (From 1e15 to 1e16,
      // which no generated value reaches, PostgreSQL writes an exponent where DuckDB does not: a false alarm, never a false match.)
      return engine === 'postgres' ? `COALESCE(CAST(${c} AS TEXT), '\\N')` : `COALESCE(regexp_replace(CAST(${c} AS VARCHAR), '\\.0$', ''), '\\N')`;
    default:
      return `COALESCE(CAST(${c} AS TEXT), '\\N')`;
  }
}

/** The row count and digest of a table, in one statement of `engine`'s dialect. */
export function digestSql(table: Table, engine: Engine): string {
  const columns = table.columns.filter((c) => c.name !== 'songplay_id').map((c) => columnText(c, engine));
  const order = engine === 'postgres' ? 'h COLLATE "C"' : 'h';
  return `SELECT COUNT(*) AS n, md5(COALESCE(string_agg(h, '' ORDER BY ${order}), '')) AS digest
FROM (SELECT md5(concat_ws('|', ${columns.join(', ')})) AS h FROM "${table.name}") r`;
}

/** The tables compared: staging (file_id aside, which DuckDB has not) and star. */
export const COMPARED_TABLES: readonly Table[] = [...STAGING_TABLES, ...STAR_TABLES];

/** `table rows` and `table digest` of every compared table. */
export async function digests(side: Side): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of COMPARED_TABLES) {
    const [[n, digest]] = (await side.rows(digestSql(table, side.engine))) as [[unknown, unknown]];
    out[`${table.name} rows`] = String(n);
    out[`${table.name} digest`] = String(digest);
  }
  return out;
}

/**
 * A result's values as comparable text: PostgreSQL returns counts and
 * numerics as numbers, DuckDB BIGINTs as strings and its decimal divisions
 * as doubles; timestamps are text on both.
 */
function normalRows(rows: unknown[][]): string[] {
  const value = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) ? String(Number(v)) : v);
  return rows.map((row) => JSON.stringify(row.map(value)));
}

/** A canned query as the bench runs it: its SQL and its bind values (from sparkify's own answers). */
export interface BenchQuery {
  query: CannedQuery;
  values: (string | number)[];
}

/** Every canned query; the parameterised ones asked of the top artist and the most active user. */
export async function benchQueries(side: Side): Promise<BenchQuery[]> {
  const first = async (name: string) => (await side.rows(QUERIES.find((q) => q.name === name)!.sql))[0]?.[0] as string | number;
  const artist = await first('top-artists');
  const user = Number(await first('most-active-users'));
  return QUERIES.map((query) => ({
    query,
    values: (query.params ?? []).map((p) => (p.type === 'integer' ? user : artist)),
  }));
}

export interface QueryTiming {
  name: string;
  /** Rows of the answer, as normalRows gives them. */
  rows: string[];
  /** Around the query on the bench's connection: median of `runs`, after one run not counted. */
  ms: number;
  /** PostgreSQL only: planning + execution as EXPLAIN (ANALYZE, TIMING OFF) reports them, median of `runs`. */
  serverMs: number | null;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

export async function timeQueries(side: Side, queries: BenchQuery[], runs: number): Promise<QueryTiming[]> {
  const out: QueryTiming[] = [];
  for (const { query, values } of queries) {
    const rows = normalRows(await side.rows(query.sql, values));
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await side.rows(query.sql, values);
      ms.push(performance.now() - started);
    }
    let serverMs: number | null = null;
    if (side.engine === 'postgres') {
      const server: number[] = [];
      for (let i = 0; i < runs; i++) {
        const [[plan]] = (await side.rows(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${query.sql}`, values)) as [[unknown]];
        const [top] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ 'Planning Time': number; 'Execution Time': number }];
        server.push(top['Planning Time'] + top['Execution Time']);
      }
      serverMs = median(server);
    }
    out.push({ name: query.name, rows, ms: median(ms), serverMs });
  }
  return out;
}

/** What differs between the two engines' answers, as lines; none when every query answered the same rows. */
export function answerDifferences(sparkify: QueryTiming[], duckdb: QueryTiming[]): string[] {
  return sparkify.flatMap((s, i) => {
    const d = duckdb[i]!;
    if (JSON.stringify(s.rows) === JSON.stringify(d.rows)) return [];
    const found = s.rows.findIndex((row, j) => row !== d.rows[j]);
    const at = found === -1 ? s.rows.length : found;
    return [
      `${s.name}: ${s.rows.length} rows on sparkify, ${d.rows.length} on DuckDB; row ${at + 1}: ${s.rows[at] ?? '(none)'} against ${d.rows[at] ?? '(none)'}`,
    ];
  });
}

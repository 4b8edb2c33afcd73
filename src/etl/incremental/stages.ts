import { appendSql, type AppendedTable } from '../../sql/append-transforms.js';
import { tableNamed } from '../../sql/schema.js';
import { statement, type Statement } from '../../sql/statement.js';
import { defineStage, type Stage, type StagePlan } from '../stage.js';
import type { TableDelta } from './delta.js';
import { planIncrementalExtract, runIncrementalExtract } from './extract.js';

/** An incremental extract: the staging table's replaced and pruned files removed, its new files loaded. */
export function incrementalExtract(delta: TableDelta, loadedAt: Date): Stage {
  const table = tableNamed(delta.table);
  return defineStage({
    name: delta.table,
    writes: null,
    plan: (engine, config, { maxErrors = 0 }) => planIncrementalExtract(table, delta, engine, config, maxErrors, loadedAt),
    run: (ctx, plan) => runIncrementalExtract(ctx, table, plan),
  });
}

interface AppendPlan extends StagePlan {
  inserts: Statement[];
}

/** A star table brought up to date with the events of the new files (numbered from `firstFileId`). */
export function appendStage(name: AppendedTable, firstFileId: number): Stage {
  return defineStage<AppendPlan>({
    name,
    writes: null,
    plan(engine) {
      const inserts = appendSql(name, engine, firstFileId).map((sql) => statement(sql));
      return { inserts, statements: inserts };
    },
    async run({ wh, signal }, plan) {
      let rows = 0;
      for (const s of plan.inserts) {
        const result = await wh.query(s.sql, [], signal);
        // The rows the star table gets; not those of a temporary table's CREATE … AS.
        if (result.command === 'INSERT' || result.command === 'UPDATE') rows += result.rowCount ?? 0;
      }
      return { rows };
    },
  });
}

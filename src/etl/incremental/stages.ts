import { appendSql, type AppendedTable } from '../../sql/append-transforms.js';
import { tableNamed, type ForeignKey } from '../../sql/schema.js';
import { ChecksFailedError, type CheckFailure } from '../checks.js';
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
  steps: { statement: Statement; proves?: ForeignKey }[];
}

/** A new play's foreign key that finds no row, as the checks stage words it. */
function keyFailure({ column, table }: ForeignKey, n: number): CheckFailure {
  const rows = `${n.toLocaleString('en-US')} new row${n === 1 ? '' : 's'}`;
  return { check: `songplays.${column} is in ${table}`, rows: n, message: `${rows} of songplays have a ${column} missing from ${table}` };
}

/** A star table brought up to date with the events of the new files (numbered from `firstFileId`). */
export function appendStage(name: AppendedTable, firstFileId: number): Stage {
  return defineStage<AppendPlan>({
    name,
    writes: null,
    plan(engine) {
      const steps = appendSql(name, engine, firstFileId).map(({ sql, proves }) => ({ statement: statement(sql), proves }));
      return { steps, statements: steps.map((s) => s.statement) };
    },
    async run({ wh, signal }, plan) {
      let changed = 0;
      const failures: CheckFailure[] = [];
      for (const [i, { statement: s, proves }] of plan.steps.entries()) {
        const result = await wh.query<{ n: string }>(s.sql, [], signal);
        if (proves) {
          const n = Number(result.rows[0]!.n);
          if (n > 0) failures.push(keyFailure(proves, n));
          // Every key proven, and none of the rows in yet.
          if (failures.length > 0 && !plan.steps[i + 1]?.proves) throw new ChecksFailedError(failures);
        }
        // The rows the star table gets; not those of a temporary table's CREATE … AS.
        if (result.command === 'INSERT' || result.command === 'UPDATE') changed += result.rowCount ?? 0;
      }
      return { rows: changed };
    },
  });
}

import { STAGING_TABLES, STAR_TABLES, type Table } from '../sql/schema.js';
import { statement, type Statement } from '../sql/statement.js';
import { insertSql, type StarTableName } from '../sql/transforms.js';
import { planChecks, runChecks } from './checks.js';
import type { StageName } from './events.js';
import { extractAhead, planExtract, runExtract } from './extract-stage.js';
import { defineStage, type Stage, type StagePlan } from './stage.js';

export type { PlanOptions, Stage, StageAhead, StageContext, StagePlan } from './stage.js';

interface TransformPlan extends StagePlan {
  insert: Statement;
}

function transform(name: StarTableName): Stage {
  return defineStage<TransformPlan>({
    name,
    writes: name,
    plan(engine, _config, { build }) {
      const insert = statement(insertSql(name, engine, build));
      return { insert, statements: [insert] };
    },
    async run({ wh, signal }, plan) {
      const result = await wh.query(plan.insert.sql, [], signal);
      return { rows: result.rowCount ?? 0 };
    },
  });
}

/** An extract: a staging table filled from its source. */
function extract(table: Table): Stage {
  const source = table.source!;
  return defineStage({
    name: table.name as StageName,
    writes: table.name,
    plan: (engine, config, options) => planExtract(table, source, engine, config, options),
    run: (ctx, plan) => runExtract(ctx, table, source, plan),
    startAhead: (ctx, plan) => extractAhead(ctx, table, source, plan),
  });
}

const checks = defineStage({
  name: 'checks',
  writes: null,
  plan: (engine, _config, { build }) => planChecks(engine, build),
  async run({ wh, signal }, plan) {
    return { rows: await runChecks(wh, plan, signal), unit: 'checks' };
  },
});

/** The stages, derived from the schema: an extract per staging table, a transform per star table, then the checks. */
export const STAGES: readonly Stage[] = [...STAGING_TABLES.map(extract), ...STAR_TABLES.map((t) => transform(t.name as StarTableName)), checks];

export function stageNamed(name: StageName): Stage {
  return STAGES.find((s) => s.name === name)!;
}

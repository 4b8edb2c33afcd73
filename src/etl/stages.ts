import { STAGING_EVENTS, STAGING_SONGS } from '../sql/schema.js';
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
    plan(dialect, _config, { build }) {
      const insert = statement(insertSql(name, dialect, build));
      return { insert, statements: [insert] };
    },
    async run({ wh, signal }, plan) {
      const result = await wh.query(plan.insert.sql, [], signal);
      return { rows: result.rowCount ?? 0 };
    },
  });
}

export const STAGES: readonly Stage[] = [
  defineStage({
    name: 'staging_events',
    writes: 'staging_events',
    plan: (dialect, config, options) => planExtract(STAGING_EVENTS, 'events', dialect, config, options),
    run: (ctx, plan) => runExtract(ctx, STAGING_EVENTS, 'events', plan),
  }),
  defineStage({
    name: 'staging_songs',
    writes: 'staging_songs',
    plan: (dialect, config, options) => planExtract(STAGING_SONGS, 'songs', dialect, config, options),
    run: (ctx, plan) => runExtract(ctx, STAGING_SONGS, 'songs', plan),
    startAhead: (ctx, plan) => extractAhead(ctx, STAGING_SONGS, 'songs', plan),
  }),
  transform('songplays'),
  transform('users'),
  transform('songs'),
  transform('artists'),
  transform('time'),
  defineStage({
    name: 'checks',
    writes: null,
    plan: (dialect, _config, { build }) => planChecks(dialect, build),
    async run({ wh, signal }, plan) {
      return { rows: await runChecks(wh, plan, signal), unit: 'checks' };
    },
  }),
];

export function stageNamed(name: StageName): Stage {
  return STAGES.find((s) => s.name === name)!;
}

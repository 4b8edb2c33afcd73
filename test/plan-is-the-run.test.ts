import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRun, runPipeline, resetSchema, type RunOptions } from '../src/etl/runner.js';
import { planStatements } from '../src/etl/run-plan.js';
import { findChanges } from '../src/etl/incremental/find-changes.js';
import { CURRENT_DIGESTS_SQL } from '../src/sql/load-digests.js';
import { readLoadHistorySql } from '../src/sql/load-history.js';
import { STAGING_EVENTS, STAGING_SONGS } from '../src/sql/schema.js';
import type { Statement } from '../src/sql/statement.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { copyOfMini, MINI } from './support/fixtures.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { openWarehouse, withWarehouse } from './support/open-warehouse.js';
import { ServerLog } from './support/server-log.js';
import { writeTestConfig } from './support/warehouse.js';

/**
 * Matches what the server logged for the run's session against the plan:
 * every statement logged is the plan's next one, and a statement of the
 * plan may be missing only where the plan says it is sent only in some case
 * (or on a second connection). Returns the logged statements, and the plan's
 * statements that were not sent.
 */
function matchLogToPlan(logged: string[], plan: Statement[]): { unsent: Statement[]; unexpected: string[] } {
  const unsent: Statement[] = [];
  let at = 0;
  for (const statement of plan) {
    if (logged[at] === statement.sql) at++;
    else if (statement.onlyIf || statement.secondConnection) unsent.push(statement);
    else return { unsent, unexpected: logged.slice(at) };
  }
  return { unsent, unexpected: logged.slice(at) };
}

/** Runs `run` on a session whose database logs every statement, and returns what the server logged for it. */
async function logged(file: string, run: (wh: Warehouse) => Promise<unknown>): Promise<{ wh: Warehouse; statements: string[] }> {
  await withWarehouse(file, (setup) => setup.query(`ALTER DATABASE ${setup.config.cluster.database} SET log_statement = 'all'`));
  const wh = await openWarehouse(file);
  const log = new ServerLog();
  const pid = wh.backendPid!;
  try {
    await run(wh);
  } finally {
    await wh.close();
  }
  // The session's statements from the run lock on: before it, the connection's own (select version()).
  const statements = log.statementsOf(pid);
  return { wh, statements: statements.slice(statements.findIndex((s) => s.startsWith('SELECT pg_try_advisory_lock'))) };
}

async function runAndMatch(file: string, options: RunOptions) {
  let planned: Statement[] = [];
  const { statements } = await logged(file, async (wh) => {
    const { incremental: _, ...planOptions } = options;
    planned = planStatements(planRun(wh.engine, wh.config, planOptions));
    expect((await runPipeline(wh, options)).status).toBe('passed');
  });
  return { statements, ...matchLogToPlan(statements, planned) };
}

describe("the plan is the run: what the server logged (log_statement = all) is the dry run's plan, in order", () => {
  it('a reload: every statement, and the checks a constraint proves left out as the plan says they may be', async () => {
    const { statements, unsent, unexpected } = await runAndMatch((await writeTestConfig(MINI)).file, { reset: true });
    expect(unexpected).toEqual([]);
    expect(statements.length).toBeGreaterThan(60);
    // Not sent: the lock's holders query (it was free), the savepoint step-back (the keys held),
    // the 16 checks the keys prove, and the swap's step-back (no one held a table).
    expect(unsent.map((s) => s.onlyIf?.split(' ').slice(0, 4).join(' '))).toEqual([
      'another run holds the',
      'a key cannot be',
      ...Array(16).fill('no validated constraint proves'),
      'another session holds a',
      'another session holds a',
    ]);
  });

  it('a reload with --max-errors whose events leave a row out: the rejected row is streamed into load_errors, as planned', async () => {
    const data = copyOfMini();
    const day = path.join(data, 'log_data/2018/11/2018-11-01-mini-events.json');
    writeFileSync(day, `${readFileSync(day, 'utf8').trimEnd()}\n{"artist":"cut`);
    const { statements, unsent, unexpected } = await runAndMatch((await writeTestConfig(data)).file, { reset: true, maxErrors: 3 });
    expect(unexpected).toEqual([]);
    expect(statements).toContain('COPY load_errors__build (table_name, source, line, reason, raw_line) FROM STDIN');
    // The songs left nothing out: their load_errors COPY is the one not sent.
    expect(unsent.filter((s) => s.sql.startsWith('COPY load_errors'))).toHaveLength(1);
  });

  it("users alone (songplays' key moves to the new table), and the checks alone", async () => {
    for (const options of [{ stages: ['users'] }, { stages: ['checks'] }] as const) {
      const file = await loadedConfig();
      const { unexpected, statements } = await runAndMatch(file, options);
      expect(unexpected).toEqual([]);
      expect(statements.length).toBeGreaterThan(5);
    }
  });

  it('incremental runs: new event files appended, then a new song file (the star tables rebuilt), then nothing new', async () => {
    const data = copyOfMini();
    const { file } = await writeTestConfig(data);
    await withWarehouse(file, (wh) => runPipeline(wh, { reset: true }));
    const day = path.join(data, 'log_data/2018/11/2018-11-01-mini-events.json');
    const song = path.join(data, 'song_data/A/A/A/TRAAAAA128F0000001.json');
    const changes = [
      () => writeFileSync(day.replace('01-mini', '03-mini'), readFileSync(day)),
      () => writeFileSync(song.replace('0000001', '0000009'), readFileSync(song, 'utf8').replace(/"song_id": ?"[^"]+"/, '"song_id": "SONEW"')),
      () => {},
    ];
    const expectedStages = [
      ['staging_events', 'users', 'time', 'songplays', 'checks'],
      ['staging_songs', 'songplays', 'users', 'songs', 'artists', 'time', 'checks'],
      [],
    ];
    for (const [i, change] of changes.entries()) {
      change();
      let planned: Statement[] = [];
      const { statements } = await logged(file, async (wh) => {
        // What the run will find: load_history and the listings, read before it as its own reading finds them.
        const plan = planRun(wh.engine, wh.config, { incremental: await findChanges(wh, wh.config, false, new Date()) });
        expect(plan.stages).toEqual(expectedStages[i]);
        planned = planStatements(plan);
        expect((await runPipeline(wh, { incremental: {} })).status).toBe('passed');
      });
      const { unexpected } = matchLogToPlan(statements, planned);
      expect(unexpected).toEqual([]);
      // Only the record of a table whose files changed is read: the other's digest is still its listing's.
      expect(statements).toContain(CURRENT_DIGESTS_SQL);
      const historyRead = statements.filter((s) => s.startsWith('SELECT file_id, table_name, location'));
      const changed = [STAGING_EVENTS, STAGING_SONGS, null][i];
      expect(historyRead).toEqual(changed ? [readLoadHistorySql([changed])] : []);
    }
  });

  it('a reset', async () => {
    let planned: Statement[] = [];
    const { statements } = await logged((await writeTestConfig(MINI)).file, async (wh) => {
      planned = planStatements(planRun(wh.engine, wh.config, { reset: true, stages: [] }));
      await resetSchema(wh);
    });
    const { unexpected } = matchLogToPlan(statements, planned);
    expect(unexpected).toEqual([]);
    expect(statements.at(-2)).toBe('COMMIT');
  });
});

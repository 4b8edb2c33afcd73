import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript, type ScriptRunOptions } from '../src/adhoc/run-script.js';
import { transactionOpen } from '../src/adhoc/run-statement.js';
import type { ScriptStatement } from '../src/adhoc/split-statements.js';
import { SqlError } from '../src/adhoc/sql-error.js';
import type { Warehouse } from '../src/warehouse/connection.js';
import { loadedConfig } from './support/loaded-warehouse.js';
import { openWarehouse } from './support/open-warehouse.js';

/** The options of a run, and the statements its confirmation was asked about (answered with `answer`). */
function asking(writes: boolean, answer = true): { options: ScriptRunOptions; asked: string[] } {
  const asked: string[] = [];
  const confirmWrite = async (statement: ScriptStatement) => {
    asked.push(`${statement.line}:${statement.text}`);
    return answer;
  };
  return { options: { writes, confirmWrite }, asked };
}

describe('a script run as the SQL screen runs it (runScript), on the mini warehouse', () => {
  let wh: Warehouse;
  let other: Warehouse;
  const users = async () => (await other.query<{ user_id: number }>('SELECT user_id FROM users ORDER BY user_id')).rows.map((r) => r.user_id);
  beforeAll(async () => {
    const file = await loadedConfig();
    wh = await openWarehouse(file);
    other = await openWarehouse(file);
  });
  afterAll(async () => {
    await wh.close();
    await other.close();
  });

  it('runs every statement in order, keeps the rows of the last, and stops at the first error with its place', async () => {
    const { options, asked } = asking(false);
    const done = await runScript(wh, 'SELECT 1 AS one;\nSELECT user_id, level FROM users ORDER BY user_id;', options);
    expect(done).toMatchObject({ count: 2, tags: ['SELECT 1', 'SELECT 3'], stop: null, wrote: false });
    expect(done.last?.result).toMatchObject({
      columns: [
        { name: 'user_id', numeric: true },
        { name: 'level', numeric: false },
      ],
      rows: [
        [10, 'paid'],
        [20, 'paid'],
        [30, 'free'],
      ],
    });

    const failed = await runScript(wh, 'SELECT 1;\nSELECT 2;\n  SELECT nope FROM users;\nSELECT 4;', options);
    expect(failed).toMatchObject({ count: 4, tags: ['SELECT 1', 'SELECT 1'] });
    expect(failed.stop).toMatchObject({ kind: 'error', statement: { line: 3, column: 3 } });
    const error = (failed.stop as { error: unknown }).error;
    expect(error).toBeInstanceOf(SqlError);
    expect(error).toMatchObject({ kind: 'server', problem: 'column "nope" does not exist', at: { line: 3, column: 10 } });
    expect(asked).toEqual([]);
  });

  it('with writes off, refuses a write (read-only) without asking, and what ran before it stays', async () => {
    const { options, asked } = asking(false);
    const run = await runScript(wh, "SELECT 1;\nINSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free');", options);
    expect(run.tags).toEqual(['SELECT 1']);
    expect(run.stop).toMatchObject({ kind: 'error', statement: { line: 2 }, error: { kind: 'read-only', code: '25006' } });
    expect(asked).toEqual([]);
    expect(await users()).toEqual([10, 20, 30]);
  });

  it('with writes on, asks once, at the first write, and runs it and what follows with writes; a no runs nothing more', async () => {
    const no = asking(true, false);
    const declined = await runScript(wh, "SELECT 1;\nINSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free');\nSELECT 2;", no.options);
    expect(declined).toMatchObject({ tags: ['SELECT 1'], stop: { kind: 'declined', statement: { line: 2 } }, wrote: false });
    expect(no.asked).toEqual(["2:INSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free')"]);
    expect(await users()).toEqual([10, 20, 30]);

    const yes = asking(true);
    const script =
      "SELECT 1;\nINSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free');\nUPDATE users SET level = 'paid' WHERE user_id = 40;\nSELECT level FROM users WHERE user_id = 40;";
    const wrote = await runScript(wh, script, yes.options);
    expect(wrote).toMatchObject({ count: 4, tags: ['SELECT 1', 'INSERT 0 1', 'UPDATE 1', 'SELECT 1'], stop: null, wrote: true });
    expect(wrote.last?.result?.rows).toEqual([['paid']]);
    expect(yes.asked).toEqual(["2:INSERT INTO users VALUES (40, 'Di', 'Ng', 'F', 'free')"]);
    expect(await users()).toEqual([10, 20, 30, 40]);
    await runScript(wh, 'DELETE FROM users WHERE user_id = 40', asking(true).options);
    expect(await users()).toEqual([10, 20, 30]);
  });

  it("with writes on, a script's own transaction asks at its BEGIN, is its own, and one left open runs on without asking", async () => {
    const first = asking(true);
    const rolledBack = await runScript(wh, "BEGIN;\nINSERT INTO users VALUES (50, 'Ed', 'Oz', 'M', 'free');\nROLLBACK;", first.options);
    expect(rolledBack).toMatchObject({ tags: ['BEGIN', 'INSERT 0 1', 'ROLLBACK'], stop: null });
    expect(first.asked).toEqual(['1:BEGIN']);
    expect(await users()).toEqual([10, 20, 30]);

    const open = asking(true);
    await runScript(wh, "BEGIN;\nINSERT INTO users VALUES (50, 'Ed', 'Oz', 'M', 'free');", open.options);
    expect(await transactionOpen(wh)).toBe(true);
    // Another session does not see the row yet; a later run in the transaction does, without a question.
    expect(await users()).toEqual([10, 20, 30]);
    const later = asking(true);
    const seen = await runScript(wh, 'SELECT COUNT(*)::int AS n FROM users;', later.options);
    expect(seen.last?.result?.rows).toEqual([[4]]);
    // Writes switched off meanwhile: refused until the transaction ends.
    const off = await runScript(wh, 'SELECT 1;', asking(false).options);
    expect(off.stop).toMatchObject({ kind: 'error', error: { kind: 'read-only' } });
    const ended = await runScript(wh, 'COMMIT;', later.options);
    expect(ended).toMatchObject({ tags: ['COMMIT'], stop: null });
    expect(later.asked).toEqual([]);
    expect(await transactionOpen(wh)).toBe(false);
    expect(await users()).toEqual([10, 20, 30, 50]);
    await runScript(wh, 'DELETE FROM users WHERE user_id = 50', asking(true).options);
  });

  it('a script of only blanks and comments runs nothing', async () => {
    expect(await runScript(wh, '  -- nothing\n;;', asking(false).options)).toEqual({ count: 0, tags: [], last: null, stop: null, wrote: false });
  });
});

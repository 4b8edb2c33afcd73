import { describe, expect, it } from 'vitest';
import { isOutputWord, POSTGRES_KEYWORDS_USED } from '../src/config/output-words.js';
import { STAGE_NAMES } from '../src/etl/events.js';
import { planPipeline, planReset } from '../src/etl/runner.js';
import { postgresEngine } from '../src/engines/postgres/engine.js';
import { REDSHIFT_RESERVED_WORDS } from '../src/sql/redshift-reserved-words.js';
import { MINI } from './support/fixtures.js';
import { warehouseOn, withWarehouse } from './support/open-warehouse.js';
import { redshiftStatements } from './support/redshift-statements.js';
import { bareWords } from './support/sql-words.js';
import { loadTestConfig } from './support/warehouse.js';

/** Every statement sparkify sends: the Redshift dialect's (see redshiftStatements), and the PostgreSQL dialect's plans. */
async function sparkifyStatements(): Promise<string[]> {
  const config = await loadTestConfig(MINI);
  const all = redshiftStatements().map((s) => s.sql);
  all.push(...planReset(postgresEngine(), config));
  for (const maxErrors of [0, 25]) {
    all.push(...planPipeline(postgresEngine(), config, { reset: true, maxErrors }), ...planPipeline(postgresEngine(), config, { maxErrors }));
    for (const stage of STAGE_NAMES) all.push(...planPipeline(postgresEngine(), config, { stages: [stage], maxErrors }));
  }
  // The embedded server's database, made on the first connection.
  all.push('create database sparkify');
  return all;
}

describe('the SQL keywords a secret equal to one is not masked as', () => {
  it("are Redshift's reserved words and the words of sparkify's SQL that PostgreSQL lists as keywords, no more", async () => {
    const listed = await withWarehouse(warehouseOn(MINI), (wh) => wh.query<{ word: string }>('SELECT word FROM pg_get_keywords()'));
    const keywords = new Set(listed.rows.map((r) => r.word.toUpperCase()));
    const used = new Set<string>();
    for (const sql of await sparkifyStatements()) {
      for (const word of bareWords(sql)) if (keywords.has(word.toUpperCase())) used.add(word.toUpperCase());
    }
    const postgresOnly = [...used].filter((w) => !REDSHIFT_RESERVED_WORDS.has(w)).sort();
    expect([...POSTGRES_KEYWORDS_USED].sort()).toEqual(postgresOnly);
    expect(postgresOnly).toHaveLength(67);
    expect([...used].every((w) => isOutputWord(w) && isOutputWord(w.toLowerCase()))).toBe(true);
  });
});

import type { render } from 'ink-testing-library';
import { QUERIES } from '../../src/queries/catalog.js';
import { KEY, press, waitForFrame } from './ink.js';

type Rendered = ReturnType<typeof render>;

/** Goes to the Queries screen (key 4) and waits for its list, the first query (Top songs) selected. */
export async function openQueriesScreen(app: Rendered): Promise<string> {
  await press(app, '4');
  return waitForFrame(app, (f) => f.includes('▸ Top songs'));
}

/** On the Queries screen with its first query selected: moves down to the canned query `name` and waits until it is selected. */
export async function selectQuery(app: Rendered, name: string): Promise<string> {
  const at = QUERIES.findIndex((q) => q.name === name);
  if (at < 0) throw new Error(`no canned query named ${name}`);
  await press(app, ...Array.from({ length: at }, () => KEY.down));
  return waitForFrame(app, (f) => f.includes(`▸ ${QUERIES[at]!.title}`));
}

/**
 * From any screen: opens Queries, runs the canned query `name` (Enter) and
 * waits for a frame that shows `text` (its result's "rows 1–4 of 4", its
 * error's ✗, or its title with … while it runs).
 */
export async function runQueryOnScreen(app: Rendered, name: string, text: string): Promise<string> {
  await openQueriesScreen(app);
  await selectQuery(app, name);
  await press(app, KEY.enter);
  return waitForFrame(app, (f) => f.includes(text));
}

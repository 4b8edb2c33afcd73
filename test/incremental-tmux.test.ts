import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../src/etl/runner.js';
import { copyOfMini } from './support/fixtures.js';
import { withWarehouse } from './support/open-warehouse.js';
import { hasTmux, tmuxServer } from './support/tmux.js';
import { writeTestConfig } from './support/warehouse.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmux = tmuxServer(`sparkify-incremental-${process.pid}`);
afterAll(() => tmux.kill());

describe.runIf(hasTmux())('the app in a terminal of 80×24: i loads only the new files', () => {
  it('shows the key in the footer, what it found, its stages, then nothing new; Home shows the files loaded', async () => {
    const data = copyOfMini();
    const { file } = await writeTestConfig(data);
    await withWarehouse(file, (wh) => runPipeline(wh, { reset: true }));
    const day = path.join(data, 'log_data/2018/11/2018-11-01-mini-events.json');
    copyFileSync(day, day.replace('01-mini', '04-mini'));

    tmux.open('app', `cd ${ROOT} && env -u CI node dist/cli.js --config ${file}; echo "exited $?"; sleep 30`, [80, 24]);
    const home = await tmux.waitFor('app', (s) => s.includes('● connected') && s.includes('loaded '), 'the home screen');
    expect(home).toContain('i load new files');
    expect(home).toMatch(/loaded {6}8 files, 18 rows\n/);
    expect(home).toContain('incremental none has loaded files yet');

    tmux.keys('app', 'i');
    const run = await tmux.waitFor('app', (s) => s.includes('Completed 5 of 5 stages'), 'the incremental run');
    expect(run).toContain('staging_events: 1 new file, 0 changed, 2 unchanged\n');
    expect(run).toContain('Star tables: the new events appended (users, time, songplays)\n');
    expect(run).toMatch(/✓ +1 staging_events +done +8 rows/);
    expect(run).toMatch(/✓ +4 songplays +done +5 rows/);
    expect(run).toMatch(/✓ +5 checks +done +21 checks/);

    tmux.keys('app', 'i');
    const nothing = await tmux.waitFor('app', (s) => s.includes('Nothing new, nothing changed'), 'the second run');
    expect(nothing).toContain('0 new files: nothing to load, the warehouse is unchanged\n');

    tmux.keys('app', '1');
    const after = await tmux.waitFor('app', (s) => /loaded {6}9 files, 26 rows\n/.test(s), 'the home screen again');
    expect(after).toMatch(/incremental \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: 1 file, 8 rows\n/);
    expect(after).toMatch(/songplays +13\b/);

    tmux.keys('app', 'q');
    await tmux.waitFor('app', (s) => s.includes('exited 0'), 'the exit');
  });
});

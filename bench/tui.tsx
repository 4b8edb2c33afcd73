/**
 * The interactive app's speed: time to the first frame of a real process on a
 * pty, key-press-to-frame latency, and the cost of paging a 10,000-row result.
 * Run with `npm run bench:tui` (builds first); writes bench/results/tui.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { App } from '../src/app.js';
import { ResultView } from '../src/components/ResultView.js';
import type { QueryResult } from '../src/queries/run-query.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 10;

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { n: samples.length, median: round(at(0.5)), p90: round(at(0.9)), max: round(sorted.at(-1)!) };
};
const round = (n: number) => Math.round(n * 10) / 10;

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparkify-bench-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** From spawning `node dist/cli.js` on a pty (util-linux `script`) to its first frame on the screen. */
async function firstFrame(cwd: string): Promise<number> {
  const started = performance.now();
  const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec node ${path.join(ROOT, 'dist/cli.js')}`, '/dev/null'], {
    cwd,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  child.stdin.on('error', () => {});
  return new Promise((resolve) => {
    let out = '';
    let ms: number | null = null;
    child.stdout.on('data', (d: Buffer) => {
      if (ms !== null) return;
      out += d.toString();
      if (out.includes('4 Queries')) {
        ms = performance.now() - started;
        child.stdin.write('q');
      }
    });
    child.on('close', () => resolve(ms ?? NaN));
  });
}

async function waitFor(read: () => string, ready: (f: string) => boolean): Promise<void> {
  while (!ready(read())) await new Promise((r) => setImmediate(r));
}

/** Key press to the frame that shows its effect, on the Queries list (in-process, ink-testing-library). */
async function keyLatency(cwd: string): Promise<number[]> {
  const app = render(<App configOptions={{ cwd, env: {} }} />);
  const frame = () => app.lastFrame() ?? '';
  await waitFor(frame, (f) => f.includes('● connected'));
  app.stdin.write('4');
  await waitFor(frame, (f) => f.includes('▸ Top songs'));
  const samples: number[] = [];
  const titles = ['Top artists', 'Top songs'];
  for (let i = 0; i < 40; i++) {
    const target = titles[i % 2]!;
    const started = performance.now();
    app.stdin.write(i % 2 === 0 ? 'j' : 'k');
    await waitFor(frame, (f) => f.includes(`▸ ${target}`));
    samples.push(performance.now() - started);
  }
  app.stdin.write('q');
  await waitFor(frame, (f) => f.trim() === '');
  app.unmount();
  return samples;
}

/** Re-rendering a 10,000-row result one page further, 200 times. */
function paging(): number[] {
  const result: QueryResult = {
    columns: [
      { name: 'user_id', numeric: true },
      { name: 'name', numeric: false },
      { name: 'plays', numeric: true },
    ],
    rows: Array.from({ length: 10_000 }, (_, i) => [i + 1, `listener ${i + 1}`, (i * 7919) % 100_000]),
    ms: 1,
  };
  const height = 30;
  const app = render(<ResultView result={result} offset={0} height={height} width={120} />);
  const samples: number[] = [];
  for (let page = 1; page <= 200; page++) {
    const started = performance.now();
    app.rerender(<ResultView result={result} offset={page * height} height={height} width={120} />);
    samples.push(performance.now() - started);
  }
  app.unmount();
  return samples;
}

const cwd = tempDir();
// A first run creates the embedded cluster and the sample, so that the timed runs measure a normal start.
await firstFrame(cwd);
const starts: number[] = [];
for (let i = 0; i < RUNS; i++) starts.push(await firstFrame(cwd));
const keys = await keyLatency(cwd);
const pages = paging();

const report = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  firstFrameMs: stats(starts),
  keyToFrameMs: stats(keys),
  pageOf10kRowsMs: stats(pages),
};
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results/tui.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`machine: ${report.machine}`);
console.log('measure                         median     p90     max  (ms)');
for (const [name, s] of [
  ['first frame (process start)', report.firstFrameMs],
  ['key press → frame', report.keyToFrameMs],
  ['page of a 10,000-row result', report.pageOf10kRowsMs],
] as const) {
  console.log(`${name.padEnd(30)}${String(s.median).padStart(8)}${String(s.p90).padStart(8)}${String(s.max).padStart(8)}`);
}
process.exit(0);

/**
 * `npx tsx bench/server-start-stop.ts [--cycles N] [--json]`: how long the
 * embedded server takes to start and to stop, as the median of N cycles
 * (default 15); `--json` prints each cycle's times too.
 *
 * - own: this process starts the server (an initialised cluster) and, as its
 *   last user, stops it: the server is its child.
 * - adopted: another process starts the server and is killed (SIGKILL); this
 *   process joins it and, as its last user, stops it: not its child.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmbeddedServer, type EmbeddedServer } from '../src/engines/postgres/embedded/embedded-server.js';

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '15' }, hold: { type: 'string' }, json: { type: 'boolean', default: false } } });

const leave = (server: EmbeddedServer) => ('leave' in server ? (server as { leave(): Promise<void> }).leave() : (server as { stop(): Promise<void> }).stop());

if (values.hold) {
  // The other process of the adopted case: starts the server, says so, and waits to be killed.
  await startEmbeddedServer(values.hold);
  process.stdout.write('up\n');
  setInterval(() => {}, 1000);
} else {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const timed = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };
  const holder = (stateDir: string) =>
    new Promise<() => Promise<void>>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--hold', stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
      child.stdout.once('data', () => {
        child.removeAllListeners('exit');
        resolve(() => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGKILL'))));
      });
    });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparkify-bench-'));
  chmodSync(dir, 0o755); // as root the server runs as postgres, which must enter it
  const stateDir = path.join(dir, '.sparkify');
  try {
    await leave(await startEmbeddedServer(stateDir)); // initialises the cluster
    const cycles = Number(values.cycles);
    const own = { start: [] as number[], stop: [] as number[] };
    const adopted = { join: [] as number[], stop: [] as number[] };
    for (let i = 0; i < cycles; i++) {
      let server!: EmbeddedServer;
      own.start.push(await timed(async () => (server = await startEmbeddedServer(stateDir))));
      own.stop.push(await timed(() => leave(server)));

      await (
        await holder(stateDir)
      )();
      adopted.join.push(await timed(async () => (server = await startEmbeddedServer(stateDir))));
      adopted.stop.push(await timed(() => leave(server)));
    }
    if (values.json) console.log(JSON.stringify({ own, adopted }));
    const ms = (xs: number[]) => `${median(xs).toFixed(1)} ms`;
    console.log(
      `${cycles} cycles, medians: own start ${ms(own.start)}, own stop ${ms(own.stop)}; adopted join ${ms(adopted.join)}, adopted stop ${ms(adopted.stop)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { tempDir } from './temp-dir.js';
import { startEmbeddedServer } from '../../src/engines/postgres/embedded/embedded-server.js';

export interface TestServer {
  port: number;
  user: string;
  password: string;
  /** The server's log (stderr), for tests that read what it ran (log_statement). */
  logFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testServer: TestServer;
  }
}

/**
 * Builds dist/ (what `npm install` builds and users run; about 1 s), so that
 * the tests that start sparkify as a process never run a stale bundle; then
 * starts one PostgreSQL server (the embedded one) for the whole run, in which
 * each test file gets its own database.
 */
export default async function setup(project: TestProject) {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
  const stateDir = tempDir('sparkify-test-server-');
  const server = await startEmbeddedServer(stateDir);
  project.provide('testServer', { port: server.port, user: server.user, password: server.password, logFile: path.join(stateDir, 'postgres.log') });
  return async () => {
    await server.leave();
    rmSync(stateDir, { recursive: true, force: true });
  };
}

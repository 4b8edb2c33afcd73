import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { tempDir } from './temp-dir.js';
import { startEmbeddedServer } from '../../src/warehouse/embedded-server.js';

export interface TestServer {
  port: number;
  user: string;
  password: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testServer: TestServer;
  }
}

/** One PostgreSQL server (the embedded one) for the whole run; each test file gets its own database. */
export default async function setup(project: TestProject) {
  const stateDir = tempDir('sparkify-test-server-');
  const server = await startEmbeddedServer(stateDir);
  project.provide('testServer', { port: server.port, user: server.user, password: server.password });
  return async () => {
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}

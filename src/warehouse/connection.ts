import pg from 'pg';
import type { Config } from '../config/types.js';
import { maskError, maskSecrets, secretsOf } from '../config/mask.js';
import { configuredNames } from '../config/output-words.js';
import type { DialectName } from './dialect.js';
import { engineForConfig, engineForServer, type Engine } from '../engines/index.js';
import type { LocalServer } from '../engines/engine.js';
import { CancelledError, ConnectionError, describeConnectError } from './errors.js';
import { warehouseTypes } from './pg-types.js';
import { formatDuration } from '../format/numbers.js';

type Params = pg.ClientConfig;

/**
 * TCP keepalive after this long without traffic, on every connection. A
 * long COPY sends nothing until it ends; a NAT or firewall on the way drops
 * such an idle connection (an AWS NAT gateway after 350 s, many firewalls
 * after a few minutes), and the client would wait forever for an answer
 * the cluster has sent. The system default starts probing only after 2
 * hours; a probe a minute is well inside those limits and costs nothing.
 */
export const KEEPALIVE_IDLE_MS = 60_000;

/**
 * How long a cancelled statement may go on before its session is ended.
 * PostgreSQL stops a cancelled statement within milliseconds, and Redshift
 * one that heeds the cancel within a second or two (it rolls back on the
 * compute nodes); but Redshift may not stop a statement inside a
 * transaction block at all. Five seconds leaves a working cancel time to
 * land and keeps someone who pressed Esc or Ctrl-C from waiting long.
 */
export const CANCEL_GRACE_MS = 5_000;

export interface OpenOptions {
  /** How long a cancelled statement may go on before its session is ended (tests shorten it). */
  cancelGraceMs?: number;
}

/**
 * One session with the warehouse: a single pg client (COPY and transactions
 * need one connection), its engine, and cancellation of the running
 * statement through a second short-lived connection.
 */
export class Warehouse {
  private closed = false;
  /** While a statement is being stopped (see stopStatement): every other use of the session waits for it. */
  private stopping: Promise<unknown> | null = null;
  /** After a session was ended to stop a statement: the new session being opened. */
  private reconnecting: Promise<void> | null = null;
  /** Why no new session could be opened after one was ended: every later use fails with it. */
  private lost: string | null = null;

  private constructor(
    readonly config: Config,
    private session: pg.Client,
    /** What the server said it is: PostgreSQL or Redshift (see src/engines). */
    readonly engine: Engine,
    readonly version: string,
    private readonly params: Params,
    private readonly server: LocalServer | null,
    /** The config's secrets and the password this session logged in with (the embedded server's own). */
    private readonly secrets: readonly string[],
    /** The names of the user, database and host, which a secret equal to one is not masked as (see maskSecrets). */
    private readonly names: readonly string[],
    private readonly cancelGraceMs: number,
  ) {}

  /**
   * The pg client of this session, once it can take a statement: a
   * statement being stopped, and a session being opened in place of an
   * ended one, are waited for; if none could be opened, this fails with a
   * ConnectionError saying so. Every use of the session goes through here
   * (or through query and cancellable, which do).
   */
  async readyClient(): Promise<pg.Client> {
    while (this.stopping) await this.stopping;
    if (this.lost !== null) throw new ConnectionError(this.lost);
    return this.session;
  }

  /** The SQL dialect's name: for display. */
  get dialect(): DialectName {
    return this.engine.dialect;
  }

  static async open(config: Config, options: OpenOptions = {}): Promise<Warehouse> {
    let server: LocalServer | null = null;
    let secrets = secretsOf(config);
    let names = configuredNames(config);
    try {
      server = (await engineForConfig(config).startServer?.(config)) ?? null;
      const params = connectionParams(config, server);
      secrets = secretsOf(config, process.env, params.password as string);
      names = configuredNames(config, params.user!);
      const client = await connect(config, params, server !== null);
      const version = await serverVersion(client);
      return new Warehouse(config, client, engineForServer(config, version), version, params, server, secrets, names, options.cancelGraceMs ?? CANCEL_GRACE_MS);
    } catch (error) {
      await server?.leave();
      throw maskError(error, secrets, names);
    }
  }

  /**
   * A second session on the same warehouse, for reading while this one runs
   * a load (the app's queries during its own reload). It shares this one's
   * server: closing it leaves an embedded server to this session.
   */
  async openReader(): Promise<Warehouse> {
    try {
      const client = await connect(this.config, this.params, false);
      return new Warehouse(this.config, client, this.engine, this.version, this.params, null, this.secrets, this.names, this.cancelGraceMs);
    } catch (error) {
      throw maskError(error, this.secrets, this.names);
    }
  }

  /** Runs a statement; when the signal fires, the server cancels it and this rejects with CancelledError. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[], signal?: AbortSignal): Promise<pg.QueryResult<R>> {
    return this.cancellable(signal, (client) => client.query<R>(sql, values));
  }

  /**
   * Runs `work` on this session's client; when the signal fires, the
   * statement is cancelled, and if it goes on past the grace period its
   * session is ended (see stopStatement). Once the signal has fired, this
   * settles only when that is over, so that no cancel or termination lands
   * on the next statement: it rejects with CancelledError, saying so when
   * the session was ended (its transaction is gone then, even if the
   * statement finished meanwhile), or returns what a statement that
   * finished before the cancel took returned.
   */
  async cancellable<T>(signal: AbortSignal | undefined, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await this.readyClient();
    if (!signal) return work(client);
    if (signal.aborted) throw new CancelledError();
    const running = work(client);
    const abort: { stopping?: Promise<string | null> } = {};
    const onAbort = () => {
      const stopping = this.stopStatement(client, running);
      abort.stopping = stopping;
      this.stopping = stopping.catch(() => {}).finally(() => (this.stopping = null));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const outcome = await running.then(
      (value) => ({ done: true as const, value }),
      (error: unknown) => ({ done: false as const, error }),
    );
    signal.removeEventListener('abort', onAbort);
    if (!abort.stopping) {
      if (outcome.done) return outcome.value;
      throw outcome.error;
    }
    const ended = await abort.stopping;
    if (ended !== null) throw new CancelledError(ended, true);
    if (outcome.done) return outcome.value;
    throw new CancelledError();
  }

  /** `PostgreSQL 18.4` or `Redshift 1.0.…`: the start of `select version()`. */
  get serverName(): string {
    return this.version.split(' on ')[0]!.replace(/,.*$/, '');
  }

  /** How this session names itself to the server: `sparkify (pid N)`. */
  get applicationName(): string {
    return this.params.application_name ?? 'sparkify';
  }

  /** The server's process id of this session. */
  get backendPid(): number | null {
    return processIdOf(this.session);
  }

  /** A statement on a second, short-lived connection: for when this session is busy or its transaction failed. */
  async querySideways<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const side = new pg.Client({ ...this.params, connectionTimeoutMillis: 5000 });
    side.on('error', () => {});
    try {
      await side.connect();
      return await side.query<R>(sql, values);
    } finally {
      await side.end().catch(() => {});
    }
  }

  /**
   * Stops the running statement: pg_cancel_backend from a second connection,
   * and if the statement goes on past the grace period (Redshift may not
   * cancel one inside a transaction block), pg_terminate_backend, which ends
   * the session and so rolls its transaction back; a new session takes its
   * place. Returns what was done when sparkify ended the session, else null.
   */
  private async stopStatement(client: pg.Client, running: Promise<unknown>): Promise<string | null> {
    const pid = processIdOf(client);
    if (!pid || this.closed) return null;
    // If this fails the statement still ends when the session closes.
    await this.querySideways('select pg_cancel_backend($1)', [pid]).catch(() => {});
    if (await settlesWithin(running, this.cancelGraceMs)) return null;
    const answer = await this.querySideways<{ pg_terminate_backend: unknown }>('select pg_terminate_backend($1)', [pid]).then(
      ({ rows }) => ({ sent: true, value: rows[0]?.pg_terminate_backend }),
      () => ({ sent: false, value: undefined }),
    );
    if (!answer.sent || this.closed) return null;
    // PostgreSQL answers false when no such backend was left to end: the
    // session was gone already, not ended by sparkify. Redshift documents no
    // answer, so only a false or a 0 is taken to say that.
    const endedByUs = answer.value !== false && answer.value !== 0;
    // The session is over either way; pg's end() drops a connection with a statement running at once.
    await client.end().catch(() => {});
    await this.replaceSession(endedByUs);
    return endedByUs
      ? `the statement went on ${formatDuration(this.cancelGraceMs)} after the cancel, so sparkify ended its session (pg_terminate_backend), which rolled its transaction back`
      : null;
  }

  /** Opens a new session in place of the ended one; if it cannot, every later use of this one fails saying why. */
  private async replaceSession(endedByUs: boolean): Promise<void> {
    this.reconnecting = connect(this.config, this.params, false).then(
      (client) => void (this.session = client),
      (error: unknown) => {
        const why = endedByUs ? 'sparkify ended its session to stop a cancelled statement' : 'the session ended while a statement was being cancelled';
        this.lost = maskSecrets(`${why}, and no new one could be opened: ${(error as Error).message ?? String(error)}`, this.secrets, this.names);
      },
    );
    await this.reconnecting;
    this.reconnecting = null;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reconnecting;
    await this.session.end().catch(() => {});
    await this.server?.leave();
  }

  /** Masks the secrets in a message from the server, the driver or the S3 SDK (see maskSecrets). */
  mask(text: string): string {
    return maskSecrets(text, this.secrets, this.names);
  }

  /** The same for an error on its way out, masked in place (see maskError). */
  maskError<E>(error: E): E {
    return maskError(error, this.secrets, this.names);
  }
}

/** The server's `select version()`; the client is closed if it cannot be read. */
async function serverVersion(client: pg.Client): Promise<string> {
  try {
    return (await client.query<{ version: string }>('select version()')).rows[0]!.version;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/** The server's process id of a client's session. */
function processIdOf(client: pg.Client): number | null {
  return (client as unknown as { processID: number | null }).processID;
}

/** Whether the promise settles, either way, within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}

function connectionParams(config: Config, server: LocalServer | null): Params {
  const { cluster } = config;
  const ssl = cluster.sslmode === 'disable' ? false : { rejectUnauthorized: cluster.sslmode === 'verify-full' || cluster.sslmode === 'verify-ca' };
  return {
    host: cluster.host,
    port: server?.port ?? cluster.port,
    database: cluster.database,
    user: server?.user ?? cluster.user,
    password: server?.password ?? cluster.password,
    ssl,
    connectionTimeoutMillis: cluster.connectTimeoutSeconds * 1000,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    types: warehouseTypes,
    // Names this process to whoever finds its run lock held (see run-lock.ts).
    application_name: `sparkify (pid ${process.pid})`,
  };
}

async function connect(config: Config, params: Params, embedded: boolean): Promise<pg.Client> {
  try {
    return await connectOnce(params);
  } catch (error) {
    // The embedded cluster starts with only the `postgres` database.
    if (embedded && (error as { code?: string }).code === '3D000') {
      const admin = await connectOnce({ ...params, database: 'postgres' });
      try {
        await admin.query(`create database ${admin.escapeIdentifier(params.database!)}`).catch((race: { code?: string }) => {
          // Another sparkify starting at the same time created it first (42P04, or 23505 when both inserted at once).
          if (race.code !== '42P04' && race.code !== '23505') throw race;
        });
      } finally {
        await admin.end();
      }
      return connectOnce(params);
    }
    const where = embedded ? 'the embedded warehouse' : `${params.host}:${params.port}`;
    // Masked by the caller, Warehouse.open.
    throw new ConnectionError(describeConnectError(error, where, params.user!, params.database!, config.cluster.connectTimeoutSeconds));
  }
}

async function connectOnce(params: Params): Promise<pg.Client> {
  const client = new pg.Client(params);
  // A dropped connection surfaces as the next query's error; without this
  // listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

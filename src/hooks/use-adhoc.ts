import { useCallback, useEffect, useRef, useState } from 'react';
import { loadCatalog, runScript, SqlError, transactionOpen, type ScriptRun, type ScriptStatement, type ScriptStop } from '../adhoc/index.js';
import type { CatalogTable } from '../editor/completion.js';
import { messageOf } from '../error-message.js';
import { formatDuration } from '../format/numbers.js';
import type { Warehouse } from '../warehouse/connection.js';
import { CancelledError } from '../warehouse/errors.js';

/** Why a run stopped before its end, in one line, and where in the editor's text (a caret), when there is a place. */
export interface AdhocProblem {
  kind: 'error' | 'read-only' | 'cancelled' | 'declined';
  message: string;
  at: { line: number; column: number } | null;
}

export type AdhocState =
  | { status: 'idle' }
  /**
   * `statement`: the one running, its `index` among `count` (null while the session opens); `asking`: it waits for
   * the answer to whether it may write; `cancelling`: Esc was pressed and the server is stopping it.
   */
  | {
      status: 'running';
      text: string;
      statement: ScriptStatement | null;
      index: number;
      count: number;
      started: number;
      asking: boolean;
      cancelling: boolean;
    }
  | { status: 'finished'; text: string; run: ScriptRun; problem: AdhocProblem | null };

export interface AdhocHandle {
  state: AdhocState;
  /** The tables and columns of the warehouse, for completion (empty until read). */
  catalog: readonly CatalogTable[];
  /** The session holds a transaction a statement with writes allowed began (it ends with COMMIT or ROLLBACK). */
  inTransaction: boolean;
  /** Runs every statement of `text` in order; false (and nothing run) while a run is going on or without a connection. */
  run: (text: string, writes: boolean) => boolean;
  /** Cancels the running statement on the server; false when none runs. */
  cancel: () => boolean;
  /** A reload or a reset may have changed the tables: the catalog is read again (now if the screen is shown). */
  catalogChanged: () => void;
  /** Cancels a running statement and closes the session (before the app's own sessions close). */
  close: () => Promise<void>;
}

export interface AdhocOptions {
  /** Asked before a statement runs with writes (see runScript); the run waits for the answer. */
  confirmWrite: (statement: ScriptStatement) => Promise<boolean>;
  /** The screen is shown: the catalog is read when it is, and not read yet or changed since. */
  shown: boolean;
}

const NOTHING_RAN: ScriptRun = { count: 0, tags: [], last: null, stop: null, wrote: false };

/**
 * Ad-hoc SQL for the app's SQL screen, on a session of its own (opened from
 * `base` when first needed): a statement runs while a reload holds the
 * main session, or a canned query the reader, and a transaction begun here
 * is this screen's alone. A failure is state to show, never an exception.
 */
export function useAdhoc(base: Warehouse | null, { confirmWrite, shown }: AdhocOptions): AdhocHandle {
  const [state, setState] = useState<AdhocState>({ status: 'idle' });
  const [catalog, setCatalog] = useState<{ base: Warehouse; tables: CatalogTable[] } | null>(null);
  const [inTransaction, setInTransaction] = useState(false);
  const [catalogVersion, setCatalogVersion] = useState(0);
  const session = useRef<{ base: Warehouse; opened: Promise<Warehouse> } | null>(null);
  const running = useRef<{ base: Warehouse; controller: AbortController; done: Promise<void> } | null>(null);
  /** The catalog read or being read: of which session base, and after which change. */
  const catalogRead = useRef<{ base: Warehouse; version: number } | null>(null);
  /** The catalog's latest read: a run waits for it, so that its cancel cannot land on the read. */
  const reading = useRef<Promise<void>>(Promise.resolve());
  const version = useRef(0);
  const confirm = useRef(confirmWrite);
  useEffect(() => {
    confirm.current = confirmWrite;
  }, [confirmWrite]);

  const sessionOf = useCallback((from: Warehouse): Promise<Warehouse> => {
    if (session.current?.base !== from) {
      const opened = from.openReader();
      session.current = { base: from, opened };
      // A session that could not be opened is tried again next time.
      opened.catch(() => {
        if (session.current?.opened === opened) session.current = null;
      });
    }
    return session.current.opened;
  }, []);

  const readCatalog = useCallback(
    (from: Warehouse) => {
      const read = { base: from, version: version.current };
      catalogRead.current = read;
      reading.current = (async () => {
        try {
          const tables = await loadCatalog(await sessionOf(from));
          setCatalog({ base: from, tables: tables.map(({ table, columns }) => ({ table, columns: columns.map((c) => c.name) })) });
        } catch {
          // Completion goes on without names (Tab says none matches); the next time the screen is shown reads them again.
          if (catalogRead.current === read) catalogRead.current = null;
        }
      })();
    },
    [sessionOf],
  );

  useEffect(() => {
    if (!shown || !base) return;
    const read = catalogRead.current;
    if (read?.base !== base || read.version !== catalogVersion) readCatalog(base);
  }, [shown, base, catalogVersion, readCatalog]);

  const run = useCallback(
    (text: string, writes: boolean): boolean => {
      if (!base || running.current) return false;
      const controller = new AbortController();
      let started = performance.now();
      const initial: Extract<AdhocState, { status: 'running' }> = {
        status: 'running',
        text,
        statement: null,
        index: 0,
        count: 0,
        started,
        asking: false,
        cancelling: false,
      };
      // Only while this run is the one going on, and not being cancelled.
      const update = (change: Partial<typeof initial>) => {
        if (running.current?.controller === controller && !controller.signal.aborted)
          setState((now) => (now.status === 'running' ? { ...now, ...change } : now));
      };
      setState(initial);
      const done = (async () => {
        let next: AdhocState;
        try {
          const wh = await sessionOf(base);
          await reading.current;
          const ran = await runScript(wh, text, {
            writes,
            signal: controller.signal,
            confirmWrite: async (statement) => {
              update({ asking: true });
              // The app quitting (or the session closing) meanwhile takes it as a no: nothing waits for an answer that never comes.
              const yes = await Promise.race([confirm.current(statement), abortedAsNo(controller.signal)]);
              started = performance.now();
              update({ asking: false, started });
              return yes;
            },
            onStatement: (statement, index, count) => {
              started = performance.now();
              update({ statement, index, count, started });
            },
          });
          next = { status: 'finished', text, run: ran, problem: ran.stop ? problemOf(ran.stop, wh, performance.now() - started) : null };
          setInTransaction(await transactionOpen(wh).catch(() => false));
          // What the statements made or dropped is offered by Tab from now on.
          if (ran.wrote) readCatalog(base);
        } catch (error) {
          next = { status: 'finished', text, run: NOTHING_RAN, problem: { kind: 'error', message: base.mask(messageOf(error)), at: null } };
        }
        if (running.current?.controller === controller) running.current = null;
        setState(next);
      })();
      running.current = { base, controller, done };
      return true;
    },
    [base, sessionOf, readCatalog],
  );

  const cancel = useCallback((): boolean => {
    if (!running.current) return false;
    setState((now) => (now.status === 'running' ? { ...now, cancelling: true } : now));
    running.current.controller.abort();
    return true;
  }, []);

  /** Cancels what runs on `from`'s session and closes it (every session, without `from`). */
  const closeSession = useCallback(async (from?: Warehouse) => {
    const current = running.current;
    if (current && (!from || current.base === from)) {
      current.controller.abort();
      await current.done;
    }
    const open = session.current;
    if (!open || (from && open.base !== from)) return;
    session.current = null;
    await open.opened.then(
      (wh) => wh.close(),
      () => {},
    );
  }, []);

  // A new connection (a retry, another config), or the app gone: the old session is closed.
  useEffect(() => {
    if (!base) return;
    return () => void closeSession(base);
  }, [base, closeSession]);

  const catalogChanged = useCallback(() => {
    version.current += 1;
    setCatalogVersion(version.current);
  }, []);
  const close = useCallback(() => closeSession(), [closeSession]);
  const tables = catalog && catalog.base === base ? catalog.tables : NO_TABLES;
  return { state, catalog: tables, inTransaction: base !== null && inTransaction, run, cancel, catalogChanged, close };
}

const NO_TABLES: readonly CatalogTable[] = [];

/** Resolves false when the signal fires. */
function abortedAsNo(signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(false);
    else signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}

/** A stopped run in one line (secrets masked), placed at the fault, or at the statement's start when the server names no place. */
function problemOf(stop: ScriptStop, wh: Warehouse, ms: number): AdhocProblem {
  const { statement } = stop;
  const start = { line: statement.line, column: statement.column };
  if (stop.kind === 'declined') {
    return { kind: 'declined', message: `Not run: the statement at line ${start.line} needs writes, and they were not allowed`, at: start };
  }
  const { error } = stop;
  if (error instanceof CancelledError) {
    const how = error.sessionEnded ? `: ${error.message}` : ` on the server after ${formatDuration(ms)}`;
    return { kind: 'cancelled', message: `The statement at line ${start.line} was cancelled${how}`, at: null };
  }
  // The caret shows the line and column: the message is the server's alone.
  if (error instanceof SqlError) return { kind: error.kind === 'read-only' ? 'read-only' : 'error', message: wh.mask(error.problem), at: error.at ?? start };
  return { kind: 'error', message: wh.mask(messageOf(error)), at: null };
}

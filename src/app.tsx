import { Box, Text, useApp, useStdout } from 'ink';
import { useKeys } from './hooks/use-keys.js';
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { LoadOptions } from './config/load-config.js';
import { ConfirmBar } from './components/ConfirmBar.js';
import { EDITOR_HINTS, ETL, GLOBAL_HINTS, HELP, HELP_LINES, HOME, QUERIES_TAB, SCHEMA, SCREEN_HINTS, SQL_TAB, TABS } from './components/app-keys.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { KeyHints } from './components/KeyHints.js';
import { TabBar } from './components/TabBar.js';
import type { RunSummary } from './etl/events.js';
import { loadLastRun, type LastRun } from './etl/run-history.js';
import { summaryLine } from './format/run-summary.js';
import { useConfig } from './hooks/use-config.js';
import { useAdhoc } from './hooks/use-adhoc.js';
import { usePipeline } from './hooks/use-pipeline.js';
import { usePreview } from './hooks/use-preview.js';
import { useQuery } from './hooks/use-query.js';
import { useReset } from './hooks/use-reset.js';
import { useWarehouse } from './hooks/use-warehouse.js';
import { QUERIES } from './queries/catalog.js';
import { TABLES } from './sql/schema.js';
import { historyFile } from './history/statement-history.js';
import type { ScriptStatement } from './adhoc/index.js';
import { EtlScreen } from './screens/EtlScreen.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { QueriesScreen } from './screens/QueriesScreen.js';
import { SqlScreen, writeQuestion } from './screens/SqlScreen.js';
import { SchemaScreen } from './screens/SchemaScreen.js';

interface Confirm {
  question: string;
  onYes: () => void;
  onNo?: () => void;
}

export interface AppProps {
  configOptions: LoadOptions;
  /** Fires on SIGTERM or SIGHUP: the app cancels any run and quits cleanly. */
  signal?: AbortSignal;
}

/** The interactive app: screens over the ETL engine, driven through hooks. */
export function App({ configOptions, signal }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const rows = stdout.rows || 24;
  const columns = stdout.columns || 80;
  const { config, error: configError, reload: reloadConfig } = useConfig(configOptions);
  const warehouse = useWarehouse(config);
  const [screen, setScreen] = useState(HOME);
  const [help, setHelpShown] = useState(false);
  // Keys that arrive in one read (Esc Esc 4) are handled before the next render: each must see the help the one before left.
  const helpOpen = useRef(false);
  const setHelp = (open: boolean) => {
    helpOpen.current = open;
    setHelpShown(open);
  };
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [quitting, setQuitting] = useState(false);
  const [closed, setClosed] = useState(false);
  const [interrupts, setInterrupts] = useState(0);
  const [typing, setTyping] = useState(false);
  const [sqlEditing, setSqlEditing] = useState(true);
  const [lastRun, setLastRun] = useState<LastRun | null>(() => (config ? loadLastRun(config.stateDir) : null));

  const confirmWrite = useCallback(
    (statement: ScriptStatement) =>
      new Promise<boolean>((resolve) => setConfirm({ question: writeQuestion(statement), onYes: () => resolve(true), onNo: () => resolve(false) })),
    [],
  );
  const adhoc = useAdhoc(warehouse.reader, { confirmWrite, shown: screen === SQL_TAB && !help });
  const { refreshCounts } = warehouse;
  const { catalogChanged } = adhoc;
  const onRunFinished = useCallback(
    (summary: RunSummary) => {
      setNotice(summaryLine(summary));
      if (config) setLastRun(loadLastRun(config.stateDir));
      setInterrupts(0);
      void refreshCounts();
      catalogChanged();
    },
    [config, refreshCounts, catalogChanged],
  );
  const pipeline = usePipeline(warehouse.wh, onRunFinished);
  const query = useQuery(warehouse.reader);
  const preview = usePreview(warehouse.reader);
  const { reset, resetting } = useReset(warehouse.wh);
  // Queries have a session of their own and do not make the app busy.
  const busy = pipeline.running || resetting;

  const ready = (): boolean => {
    if (warehouse.status !== 'connected') {
      setNotice(warehouse.status === 'connecting' ? 'Still connecting…' : 'Not connected: see the Home screen.');
      return false;
    }
    if (busy) {
      setNotice('A run is in progress: wait for it, or press Esc to cancel it.');
      return false;
    }
    return true;
  };
  // Queries have a session of their own: they are answered during a run, from the tables as they were before it.
  const readyToQuery = (): boolean => {
    if (warehouse.status !== 'connected') {
      setNotice(warehouse.status === 'connecting' ? 'Still connecting…' : 'Not connected: see the Home screen.');
      return false;
    }
    // One reader session: a query and a preview would wait for each other, and a cancel would reach the other.
    if (query.state.status === 'running' || preview.state.status === 'running') {
      setNotice(
        query.state.status === 'running' ? 'A query is still running: wait for it, or press Esc on the Queries screen.' : 'A preview is still being read.',
      );
      return false;
    }
    return true;
  };
  // On a query's result or a table's preview Esc leaves it (the run goes on), on the SQL screen it is the screen's; elsewhere it cancels the run.
  const resultOpen = (screen === QUERIES_TAB && query.state.status !== 'idle') || (screen === SCHEMA && preview.state.status !== 'idle') || screen === SQL_TAB;

  const quit = useCallback(async () => {
    setQuitting(true);
    setNotice(pipeline.running ? 'Cancelling the run and closing…' : 'Closing…');
    await pipeline.stop();
    await adhoc.close();
    await warehouse.close();
    setClosed(true);
  }, [pipeline, adhoc, warehouse]);

  // The last frame is an empty one, so the shell gets its screen back clean.
  useEffect(() => {
    if (closed) exit();
  }, [closed, exit]);

  const quitOnAbort = useEffectEvent(() => void quit());
  useEffect(() => {
    if (!signal) return;
    const onAbort = () => quitOnAbort();
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }, [signal]);

  const reloadAll = () => {
    if (!ready()) return;
    setScreen(ETL);
    setNotice(null);
    pipeline.run({ reset: true });
  };

  const loadNewFiles = () => {
    if (!ready()) return;
    setScreen(ETL);
    setNotice(null);
    pipeline.run({ incremental: true });
  };

  // Home and Schema show the row counts and the last run, which a run in another terminal may have changed:
  // their keys read both again, also when that screen is already shown.
  const showScreen = (next: number) => {
    setScreen(next);
    // The SQL screen opens in its editor.
    if (next === SQL_TAB) setSqlEditing(true);
    if ((next === HOME || next === SCHEMA) && !busy) {
      if (config) setLastRun(loadLastRun(config.stateDir));
      void refreshCounts();
    }
  };

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') {
      if (pipeline.running && interrupts === 0) {
        setInterrupts(1);
        pipeline.cancel();
        setNotice('Cancelling the run (it rolls back). Ctrl-C again quits.');
      } else void quit();
      return;
    }
    // A question may come while a screen takes the keys as text (a write on the SQL screen): its answer first.
    if (confirm) {
      setConfirm(null);
      if (input === 'y' || input === 'Y') confirm.onYes();
      else {
        setNotice('Cancelled; nothing was changed.');
        confirm.onNo?.();
      }
      return;
    }
    if (typing || (screen === SQL_TAB && sqlEditing)) return; // a screen takes the keys as text
    if (helpOpen.current) {
      if (input === '?' || key.escape || input === 'q') setHelp(false);
      return;
    }
    if (key.escape && pipeline.running && !resultOpen) {
      pipeline.cancel();
      setNotice('Cancelling the run (it rolls back)…');
      return;
    }
    if (input === '?') setHelp(true);
    else if (input === 'q') {
      if (pipeline.running) setConfirm({ question: 'A run is in progress. Cancel it (it rolls back) and quit?', onYes: () => void quit() });
      else void quit();
    } else if (input === 'R') reloadAll();
    else if (input === 'i') loadNewFiles();
    else if (key.tab) showScreen((screen + (key.shift ? TABS.length - 1 : 1)) % TABS.length);
    // One key: pasted text such as "15" arrives as one input, and compares as a string between "1" and "4".
    else if (input.length === 1 && input >= '1' && input <= String(TABS.length)) showScreen(Number(input) - 1);
    else if (screen === HOME && input === 'r') {
      if (!config) reloadConfig();
      else if (warehouse.status === 'failed') warehouse.retry();
      // Connected: the counts and the last run read again (another sparkify may have loaded since).
      else showScreen(HOME);
    } else if (screen === SCHEMA && input === 'x') {
      if (!ready()) return;
      setConfirm({
        question: `Drop and recreate ${TABLES.map((t) => t.name).join(', ')}? All their rows are lost.`,
        onYes: () =>
          void reset().then((message) => {
            setNotice(message);
            void refreshCounts();
            catalogChanged();
          }),
      });
    }
  }, !quitting);

  const screenActive = !quitting && !help && !confirm;
  if (closed) return null;
  const height = Math.max(8, rows - 6);
  return (
    <Box flexDirection="column" width={columns}>
      <TabBar tabs={TABS} active={screen} right={config ? `${config.engine} · ${config.cluster.database}` : 'no configuration'} />
      <Box flexDirection="column" marginTop={1} height={height} overflow="hidden">
        {help ? <HelpOverlay sections={HELP} compact={height < HELP_LINES} /> : null}
        {/* Every screen stays mounted (see useKeys); only the current one is shown. */}
        <Box display={!help && screen === HOME ? 'flex' : 'none'} flexDirection="column">
          <HomeScreen config={config} configError={configError} warehouse={warehouse} lastRun={lastRun} />
        </Box>
        <Box display={!help && screen === SCHEMA ? 'flex' : 'none'} flexDirection="column">
          <SchemaScreen
            counts={warehouse.counts}
            loads={warehouse.loads}
            height={height}
            width={columns}
            isActive={screenActive && screen === SCHEMA}
            preview={preview.state}
            onPreview={(table) => readyToQuery() && void preview.run(table)}
            onBack={preview.clear}
            onNotice={setNotice}
            onTyping={setTyping}
          />
        </Box>
        <Box display={!help && screen === ETL ? 'flex' : 'none'} flexDirection="column">
          <EtlScreen
            pipeline={pipeline}
            isActive={screenActive && screen === ETL}
            onRunStage={(stage) => ready() && pipeline.run({ stages: [stage] })}
            onRunAll={() => ready() && pipeline.run()}
          />
        </Box>
        <Box display={!help && screen === QUERIES_TAB ? 'flex' : 'none'} flexDirection="column">
          <QueriesScreen
            state={query.state}
            isActive={screenActive && screen === QUERIES_TAB}
            height={height}
            width={columns}
            onRun={(index, values) => readyToQuery() && void query.run(QUERIES[index]!, values)}
            onBack={query.clear}
            onNotice={setNotice}
            onTyping={setTyping}
          />
        </Box>
        <Box display={!help && screen === SQL_TAB ? 'flex' : 'none'} flexDirection="column">
          <SqlScreen
            adhoc={adhoc}
            historyFile={config ? historyFile(config) : null}
            isActive={screenActive && screen === SQL_TAB}
            editing={sqlEditing}
            onEditing={setSqlEditing}
            height={height}
            width={columns}
            onRun={(text, writes) => {
              if (warehouse.status === 'connected') return adhoc.run(text, writes);
              setNotice(warehouse.status === 'connecting' ? 'Still connecting…' : 'Not connected: see the Home screen.');
              return false;
            }}
            onNotice={setNotice}
            onTyping={setTyping}
          />
        </Box>
      </Box>
      {confirm ? <ConfirmBar question={confirm.question} /> : <Text wrap="truncate-middle">{notice ?? ' '}</Text>}
      <KeyHints hints={screen === SQL_TAB && sqlEditing ? EDITOR_HINTS : [...SCREEN_HINTS[screen]!, ...GLOBAL_HINTS]} />
    </Box>
  );
}

import { connectingLabel, describeHost } from '../config/describe.js';
import { Box, Text } from 'ink';
import type { Config } from '../config/types.js';
import { describeLocation } from '../config/location.js';
import { MASK } from '../config/mask.js';
import type { LastRun } from '../etl/run-history.js';
import { formatNumber } from '../format/numbers.js';
import { summaryLine } from '../format/run-summary.js';
import { Spinner } from '../components/Spinner.js';
import type { WarehouseHandle } from '../hooks/use-warehouse.js';
import { lastIncrementalLine, loadedLine } from '../format/load-summary.js';
import type { TableCounts } from '../warehouse/table-counts.js';

/** A labelled line; `wrap` for text that must be read whole (an error), else cut at the edge. */
function Field({ label, wrap = false, children }: { label: string; wrap?: boolean; children: React.ReactNode }) {
  return (
    <Box>
      <Box width={12} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Text wrap={wrap ? 'wrap' : 'truncate-end'}>{children}</Text>
    </Box>
  );
}

function Connection({ warehouse, config }: { warehouse: WarehouseHandle; config: Config }) {
  if (warehouse.status === 'connecting') {
    return (
      <Text>
        <Spinner /> {connectingLabel(config)}
      </Text>
    );
  }
  if (warehouse.status === 'failed') {
    return (
      <Text>
        <Text color="red">✗ {warehouse.error}</Text> <Text dimColor>(r retries)</Text>
      </Text>
    );
  }
  if (warehouse.status === 'closed') return <Text dimColor>closed</Text>;
  return (
    <Text>
      <Text color="green">●</Text> connected{' '}
      <Text dimColor>
        ({warehouse.wh?.serverName}, {warehouse.wh?.dialect} dialect)
      </Text>
    </Text>
  );
}

function LastRunLine({ lastRun }: { lastRun: LastRun | null }) {
  if (!lastRun) return <Text dimColor>none yet (R reloads everything)</Text>;
  const when = new Date(lastRun.at);
  const ok = lastRun.summary.status === 'passed';
  return (
    <Text>
      {when.toISOString().slice(0, 19).replace('T', ' ')} UTC · {lastRun.reset ? 'reload' : lastRun.summary.changes ? 'incremental' : 'etl'} ·{' '}
      <Text color={ok ? 'green' : lastRun.summary.status === 'cancelled' ? 'yellow' : 'red'}>{summaryLine(lastRun.summary)}</Text>
    </Text>
  );
}

/** The row counts in two columns, so that the screen fits 80×24. */
function TableCountColumns({ counts }: { counts: TableCounts }) {
  const entries = Object.entries(counts);
  const half = Math.ceil(entries.length / 2);
  const column = (part: [string, number | null][]) => (
    <Box flexDirection="column" marginRight={4}>
      {part.map(([table, n]) => (
        <Box key={table}>
          <Box width={16}>
            <Text>{table}</Text>
          </Box>
          <Box width={10} justifyContent="flex-end">
            <Text color={n === null ? 'yellow' : undefined}>{n === null ? 'missing' : formatNumber(n)}</Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
  return (
    <Box>
      {column(entries.slice(0, half))}
      {column(entries.slice(half))}
    </Box>
  );
}

export interface HomeScreenProps {
  config: Config | null;
  configError: string | null;
  warehouse: WarehouseHandle;
  lastRun: LastRun | null;
}

export function HomeScreen({ config, configError, warehouse, lastRun }: HomeScreenProps) {
  if (!config) {
    return (
      <Box flexDirection="column">
        <Text color="red">✗ {configError}</Text>
        <Text dimColor>Fix the file, then press r to read it again.</Text>
      </Box>
    );
  }
  const { cluster } = config;
  const counts = warehouse.counts;
  return (
    <Box flexDirection="column">
      <Field label="engine">{config.engine}</Field>
      <Field label="host">{describeHost(config)}</Field>
      <Field label="database">{cluster.database}</Field>
      <Field label="user">
        {cluster.user}
        {cluster.password ? ` (password ${MASK})` : ''}
      </Field>
      <Field label="config">{config.file ?? 'none: the embedded default on a generated sample'}</Field>
      <Field label="data">{config.defaultSample ? `generated sample in ${config.defaultSample}` : describeLocation(config.s3.logData)}</Field>
      <Field label="connection" wrap={warehouse.status === 'failed'}>
        <Connection warehouse={warehouse} config={config} />
      </Field>
      <Box marginTop={1} flexDirection="column">
        <Text bold>Tables</Text>
        {counts && Object.values(counts).every((n) => n === null) ? (
          <Text color="yellow">None yet: press R to create them and load the data.</Text>
        ) : counts ? (
          <TableCountColumns counts={counts} />
        ) : (
          <Text dimColor>{warehouse.status === 'connected' ? 'unknown' : '…'}</Text>
        )}
      </Box>
      {warehouse.loads && (
        <Box marginTop={1} flexDirection="column">
          <Field label="loaded">{loadedLine(warehouse.loads)}</Field>
          <Field label="incremental">{lastIncrementalLine(warehouse.loads)}</Field>
        </Box>
      )}
      <Box marginTop={warehouse.loads ? 0 : 1}>
        <Field label="last run">
          <LastRunLine lastRun={lastRun} />
        </Field>
      </Box>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { formatNumber } from '../format/numbers.js';
import { PIPELINE_ORDER } from '../sql/schema.js';
import type { TableCounts } from '../warehouse/table-counts.js';

/** Every table with its columns (from the one schema description) and row counts. */
export function SchemaScreen({ counts }: { counts: TableCounts | null }) {
  return (
    <Box flexDirection="column">
      {PIPELINE_ORDER.map((table) => {
        const n = counts?.[table.name];
        return (
          <Box key={table.name} flexDirection="column" marginBottom={0}>
            <Text>
              <Text bold>{table.name}</Text> <Text dimColor>{table.role}</Text>{' '}
              <Text color={n === null ? 'yellow' : 'cyan'}>{n === undefined ? '' : n === null ? 'missing' : `${formatNumber(n)} rows`}</Text>
            </Text>
            <Box marginLeft={2} flexWrap="wrap" columnGap={1}>
              {table.columns.map((c, i) => (
                <Text key={c.name} dimColor>
                  {c.name} {c.type}
                  {table.primaryKey === c.name ? ' PK' : ''}
                  {table.foreignKeys?.some((fk) => fk.column === c.name) ? ' FK' : ''}
                  {i < table.columns.length - 1 ? ',' : ''}
                </Text>
              ))}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

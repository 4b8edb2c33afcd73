import { Box, Text } from 'ink';
import { formatNumber } from '../format/numbers.js';

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars scaled to the largest value. */
export function BarChart({ bars, width }: { bars: readonly Bar[]; width: number }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelWidth = Math.max(...bars.map((b) => b.label.length), 1);
  const valueWidth = Math.max(...bars.map((b) => formatNumber(b.value).length), 1);
  const barWidth = Math.max(4, width - labelWidth - valueWidth - 3);
  return (
    <Box flexDirection="column">
      {bars.map((bar, i) => {
        const length = Math.round((bar.value / max) * barWidth);
        return (
          <Text key={`${bar.label}-${i}`}>
            <Text dimColor>{bar.label.padStart(labelWidth)}</Text> <Text color="green">{'█'.repeat(length) || '▏'}</Text>
            {' '.repeat(barWidth - Math.max(length, 1))} {formatNumber(bar.value).padStart(valueWidth)}
          </Text>
        );
      })}
    </Box>
  );
}

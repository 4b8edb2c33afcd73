import { Box, Text } from 'ink';

/** `key action` pairs, as the footer and the help overlay show them. */
export type Hint = [key: string, action: string];

export function KeyHints({ hints }: { hints: readonly Hint[] }) {
  return (
    <Box flexWrap="wrap" columnGap={2}>
      {hints.map(([key, action]) => (
        <Text key={key + action}>
          <Text bold color="cyan">
            {key}
          </Text>{' '}
          <Text dimColor>{action}</Text>
        </Text>
      ))}
    </Box>
  );
}

import { Box, Text } from 'ink';

export interface Tab {
  key: string;
  title: string;
}

/** The tabs, and on the right `right` (the engine and database), cut in the middle where the line is too short for both. */
export function TabBar({ tabs, active, right }: { tabs: readonly Tab[]; active: number; right?: string }) {
  return (
    <Box justifyContent="space-between" gap={1}>
      <Box gap={1} flexShrink={0}>
        <Text bold color="magenta">
          sparkify
        </Text>
        {tabs.map((tab, i) => (
          <Text key={tab.key} inverse={i === active} color={i === active ? 'cyan' : undefined}>
            {` ${tab.key} ${tab.title} `}
          </Text>
        ))}
      </Box>
      {right ? (
        <Text dimColor wrap="truncate-middle">
          {right}
        </Text>
      ) : null}
    </Box>
  );
}

import { Box, Text } from 'ink';

export interface Tab {
  key: string;
  title: string;
}

export function TabBar({ tabs, active, right }: { tabs: readonly Tab[]; active: number; right?: string }) {
  return (
    <Box justifyContent="space-between">
      <Box gap={1}>
        <Text bold color="magenta">
          sparkify
        </Text>
        {tabs.map((tab, i) => (
          <Text key={tab.key} inverse={i === active} color={i === active ? 'cyan' : undefined}>
            {` ${tab.key} ${tab.title} `}
          </Text>
        ))}
      </Box>
      {right ? <Text dimColor>{right}</Text> : null}
    </Box>
  );
}

import { Box, Text, useApp, useInput } from 'ink';
import type { Config } from './config/types.js';
import { describeConnection } from './config/mask.js';

/** The interactive app. Its screens come with the TUI issue; this shell shows the configuration. */
export function App({ config }: { config: Config }) {
  const { exit } = useApp();
  useInput((input) => {
    if (input === 'q') exit();
  });
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>sparkify</Text>
      <Text>
        engine <Text color="cyan">{config.engine}</Text> · {describeConnection(config)} · config {config.file ?? '(defaults)'}
      </Text>
      <Text dimColor>The screens are not built yet: use `sparkify reload`, `sparkify status`, `sparkify query --list`. Press q to quit.</Text>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { KeyHints, type Hint } from './KeyHints.js';

export interface HelpSection {
  title: string;
  hints: readonly Hint[];
}

export function HelpOverlay({ sections }: { sections: readonly HelpSection[] }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys</Text>
      {sections.map((section) => (
        <Box key={section.title} flexDirection="column" marginTop={1}>
          <Text underline>{section.title}</Text>
          <KeyHints hints={section.hints} />
        </Box>
      ))}
      <Box marginTop={1}>
        <Text dimColor>? or Esc closes this help</Text>
      </Box>
    </Box>
  );
}

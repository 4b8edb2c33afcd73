import { Box, Text } from 'ink';
import { KeyHints, type Hint } from './KeyHints.js';

export interface HelpSection {
  title: string;
  hints: readonly Hint[];
}

/** Every key, by section; `compact` leaves out the blank lines between sections, for a short terminal (80×24). */
export function HelpOverlay({ sections, compact = false }: { sections: readonly HelpSection[]; compact?: boolean }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys</Text>
      {sections.map((section) => (
        <Box key={section.title} flexDirection="column" marginTop={compact ? 0 : 1}>
          <Text underline>{section.title}</Text>
          <KeyHints hints={section.hints} />
        </Box>
      ))}
      <Box marginTop={compact ? 0 : 1}>
        <Text dimColor>? or Esc closes this help</Text>
      </Box>
    </Box>
  );
}

import { Box, Text } from 'ink';
import { KeyHints, type Hint } from './KeyHints.js';

export interface HelpSection {
  title: string;
  hints: readonly Hint[];
}

/** The column of section titles in the compact layout: the longest title (Everywhere) and two spaces. */
const TITLE_WIDTH = 12;

/**
 * Every key, by section. `compact`, for a short terminal (80×24): no blank
 * lines, each section's title in a column beside its keys, and what closes
 * the help beside its heading.
 */
export function HelpOverlay({ sections, compact = false }: { sections: readonly HelpSection[]; compact?: boolean }) {
  const closing = <Text dimColor>? or Esc closes this help</Text>;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text>
        <Text bold>Keys</Text>
        {compact ? <Text dimColor> · ? or Esc closes this help</Text> : null}
      </Text>
      {sections.map((section) =>
        compact ? (
          <Box key={section.title}>
            <Box width={TITLE_WIDTH} flexShrink={0}>
              <Text underline>{section.title}</Text>
            </Box>
            <KeyHints hints={section.hints} />
          </Box>
        ) : (
          <Box key={section.title} flexDirection="column" marginTop={1}>
            <Text underline>{section.title}</Text>
            <KeyHints hints={section.hints} />
          </Box>
        ),
      )}
      {compact ? null : <Box marginTop={1}>{closing}</Box>}
    </Box>
  );
}

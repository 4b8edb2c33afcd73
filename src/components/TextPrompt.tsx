import { Box, Text } from 'ink';

export interface TextPromptProps {
  label: string;
  hint: string;
  value: string;
  error: string | null;
  /** The line under the value when nothing is wrong: what Enter and Esc do. */
  footer?: string;
}

/** One line of text being typed (the keys are the screen's), with why the last entry was refused. */
export function TextPrompt({ label, hint, value, error, footer = 'Enter runs the query · Esc goes back' }: TextPromptProps) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text bold>{label}</Text> <Text dimColor>({hint})</Text>
      </Text>
      <Text>
        <Text color="cyan">› </Text>
        {value}
        <Text inverse> </Text>
      </Text>
      {error ? <Text color="red">✗ {error}</Text> : <Text dimColor>{footer}</Text>}
    </Box>
  );
}

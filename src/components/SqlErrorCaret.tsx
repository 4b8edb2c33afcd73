import { Box, Text } from 'ink';
import { caretLines } from '../editor/caret.js';

export interface SqlErrorCaretProps {
  /** The text that ran (the editor's). */
  text: string;
  /** Where the server says the fault is, counted from 1; without it, only the message. */
  position?: { line: number; column: number } | null;
  message: string;
  width: number;
}

/** A statement's error under the editor: the line at fault with a caret at the column, then the message. */
export function SqlErrorCaret({ text, position, message, width }: SqlErrorCaretProps) {
  const lines = position ? caretLines(text, position.line, position.column, width) : null;
  return (
    <Box flexDirection="column">
      {lines ? (
        <>
          <Text wrap="truncate-end">{lines[0]}</Text>
          <Text color="red">{lines[1]}</Text>
        </>
      ) : null}
      <Text color="red">✗ {message}</Text>
    </Box>
  );
}

import { Text } from 'ink';

export function ConfirmBar({ question }: { question: string }) {
  return (
    <Text>
      <Text color="yellow">{question}</Text> <Text bold>[y/N]</Text>
    </Text>
  );
}

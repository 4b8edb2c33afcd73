import { Text } from 'ink';
import { useTicker } from '../hooks/use-ticker.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;

export function Spinner() {
  const now = useTicker(true, FRAME_MS);
  return <Text color="cyan">{FRAMES[Math.floor(now / FRAME_MS) % FRAMES.length]}</Text>;
}

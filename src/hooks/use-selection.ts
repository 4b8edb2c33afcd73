import { useCallback, useRef, useState } from 'react';

/**
 * The selected row of a list moved by ↑↓, kept in a ref as well as in state:
 * keys that arrive in one read (a held arrow key, `tmux send-keys Down Down
 * Enter`) are handled one after another before React renders again, so
 * Enter must see the moves just made, not the selection of the last render.
 */
export function useSelection(count: number): { selected: number; move: (by: number) => void; current: () => number } {
  const [selected, setSelected] = useState(0);
  const latest = useRef(0);
  const clamp = useCallback((i: number) => Math.max(0, Math.min(count - 1, i)), [count]);
  const move = useCallback(
    (by: number) => {
      latest.current = clamp(latest.current + by);
      setSelected(latest.current);
    },
    [clamp],
  );
  const current = useCallback(() => clamp(latest.current), [clamp]);
  return { selected: clamp(selected), move, current };
}

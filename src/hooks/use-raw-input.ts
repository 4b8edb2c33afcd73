import { useStdin } from 'ink';
import { useEffect, useRef, type RefObject } from 'react';

/**
 * The sequence of the last key, as the terminal sent it. useInput reports
 * the Backspace key (DEL) and the Delete key (ESC [ 3 ~) both as
 * `key.delete` with no input; the sequence tells them apart. Ink emits each
 * key to its listeners in the order they subscribed, and useInput
 * subscribes again after every render: a component that calls this hook
 * before its useInput (useKeys) has the sequence set when its handler runs.
 */
export function useRawInput(): RefObject<string | null> {
  const { internal_eventEmitter: events } = useStdin();
  const last = useRef<string | null>(null);
  useEffect(() => {
    const remember = (data: string) => {
      last.current = data;
    };
    events.on('input', remember);
    return () => {
      events.removeListener('input', remember);
    };
  }, [events]);
  return last;
}

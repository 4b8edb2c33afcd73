import { useInput, type Key } from 'ink';
import { useRef } from 'react';

/**
 * useInput, subscribed for the component's whole life, that calls the handler
 * of the latest render and only while that render says it is active. Ink
 * subscribes and unsubscribes in effects, which may run well after a frame
 * is drawn: a key pressed in between would otherwise reach a hidden screen,
 * or a handler with stale state ("still connecting" on a screen that says
 * connected). The screens therefore stay mounted and are hidden instead.
 */
export function useKeys(handler: (input: string, key: Key) => void, isActive = true): void {
  const latest = useRef({ handler, isActive });
  // Set while rendering on purpose (see above): an effect would set it only after the frame is drawn.
  // eslint-disable-next-line react-hooks/refs
  latest.current = { handler, isActive };
  useInput((input, key) => {
    if (latest.current.isActive) latest.current.handler(input, key);
  });
}

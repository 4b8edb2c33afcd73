import { useCallback, useRef, useState } from 'react';

/**
 * One piece of work at a time on the server, its progress as state: a newer
 * one, or `clear`, cancels the one before (its signal aborts), and its
 * answer, if one still comes, is dropped. `work` returns the state to show,
 * its failure included: it never throws.
 */
export function useLatestTask<S>(idle: S) {
  const [state, setState] = useState<S>(idle);
  const running = useRef<AbortController | null>(null);
  const start = useCallback(async (runningState: S, work: (signal: AbortSignal) => Promise<S>) => {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState(runningState);
    const next = await work(controller.signal);
    if (controller.signal.aborted) return;
    running.current = null;
    setState(next);
  }, []);
  const clear = useCallback(() => {
    running.current?.abort();
    running.current = null;
    setState(idle);
  }, [idle]);
  return { state, start, clear };
}

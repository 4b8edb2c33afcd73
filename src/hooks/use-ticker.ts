import { useEffect, useState } from 'react';

/** The current time, updated every `ms` while `active`: for spinners and elapsed times. */
export function useTicker(active: boolean, ms = 100): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}

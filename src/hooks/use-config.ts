import { useCallback, useState } from 'react';
import { loadConfig, type LoadOptions } from '../config/load-config.js';
import type { Config } from '../config/types.js';

export type ConfigState = { config: Config; error: null } | { config: null; error: string };

function tryLoad(options: LoadOptions): ConfigState {
  try {
    return { config: loadConfig(options), error: null };
  } catch (error) {
    return { config: null, error: (error as Error).message };
  }
}

/** dwh.cfg, read again on demand (after the user fixes it). */
export function useConfig(options: LoadOptions): ConfigState & { reload: () => void } {
  const [state, setState] = useState(() => tryLoad(options));
  const reload = useCallback(() => setState(tryLoad(options)), [options]);
  return { ...state, reload };
}

import { useCallback, useState } from 'react';
import { messageOf } from '../error-message.js';
import { resetSchema } from '../etl/runner.js';
import type { Warehouse } from '../warehouse/connection.js';

/** `sparkify reset` for the app: drops and recreates the tables, reporting the outcome as text. */
export function useReset(wh: Warehouse | null) {
  const [resetting, setResetting] = useState(false);
  const reset = useCallback(async (): Promise<string> => {
    if (!wh) return 'not connected';
    setResetting(true);
    try {
      const tables = await resetSchema(wh);
      return `Reset: dropped and created ${tables} tables.`;
    } catch (error) {
      return `Reset failed: ${wh.mask(messageOf(error))}`;
    } finally {
      setResetting(false);
    }
  }, [wh]);
  return { resetting, reset };
}

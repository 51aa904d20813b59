import { useCallback, useRef, useState } from 'react';

/**
 * Runs an async action once at a time and keeps its error for display. `run` resolves
 * to the action's result, or undefined when it failed (the error is then in `error`,
 * unless `handled` took care of it, e.g. by showing it at a form field).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  const run = useCallback(async <T,>(fn: () => Promise<T>, handled?: (e: unknown) => boolean): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      if (!handled?.(e)) setError(e);
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}

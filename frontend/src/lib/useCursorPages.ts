import { useCallback, useState } from 'react';

/**
 * Page state over a cursor API: a stack of the cursors that opened each page, so that
 * "previous" works although the API only knows "next". Changing filters resets to page 1.
 */
export function useCursorPages<C>() {
  const [stack, setStack] = useState<(C | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  const next = useCallback((c: C | undefined) => {
    if (c !== undefined && c !== null) setStack((s) => [...s, c]);
  }, []);
  const prev = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor, page: stack.length, next, prev, reset };
}

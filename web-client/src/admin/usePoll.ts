import { useCallback, useEffect, useRef, useState } from 'react';
import { AdminError } from './api';

/**
 * Loads `load()` now and every `everyMs`, keeping the last value and the last error. `reload`
 * runs it at once (after an action). A 401 goes to `onUnauthorized`: the token stopped working.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  everyMs: number,
  onUnauthorized: () => void,
): { value: T | null; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;

  const run = useCallback(() => {
    loadRef.current().then(
      (v) => {
        setValue(v);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof AdminError && e.status === 401) unauthorized.current();
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  }, []);

  useEffect(() => {
    run();
    const timer = setInterval(run, everyMs);
    return () => clearInterval(timer);
  }, [run, everyMs]);

  return { value, error, reload: run };
}

// Calls `load` now and every `ms` while the component is shown (`ms` 0: once); keeps the last value and error.

import { useCallback, useEffect, useRef, useState } from 'react';

export function usePoll<T>(load: () => Promise<T>, ms: number, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    loadRef.current().then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(() => {
    reload();
    if (ms <= 0) return;
    const t = setInterval(reload, ms);
    return () => clearInterval(t);
  }, [ms, reload, ...deps]);
  return { data, error, reload };
}

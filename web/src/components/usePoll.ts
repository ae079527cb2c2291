// Calls `load` now and every `ms` while the component is shown (`ms` 0: once); keeps the last value and error. A tick
// that comes while a load is still under way is skipped: a slow answer (an event page waiting for an import's terms to
// be counted) is not asked for again and again meanwhile. `reload` (and a change of `deps`) loads at once, and an
// answer to an older load that comes after it is dropped.

import { useCallback, useEffect, useRef, useState } from 'react';

export function usePoll<T>(load: () => Promise<T>, ms: number, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const latest = useRef(0);
  const underWay = useRef(0);
  const reload = useCallback(() => {
    const mine = ++latest.current;
    underWay.current++;
    loadRef
      .current()
      .then(
        (d) => {
          if (mine !== latest.current) return;
          setData(d);
          setError(null);
        },
        (e: Error) => {
          if (mine === latest.current) setError(e.message);
        },
      )
      .finally(() => {
        underWay.current--;
      });
  }, []);
  useEffect(() => {
    reload();
    if (ms <= 0) return;
    const t = setInterval(() => {
      if (underWay.current === 0) reload();
    }, ms);
    return () => clearInterval(t);
  }, [ms, reload, ...deps]);
  return { data, error, reload };
}

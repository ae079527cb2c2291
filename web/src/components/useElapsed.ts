// Milliseconds since `since` (a time from Date.now()), ticking every `everyMs` while it is set; 0 when it is null.

import { useEffect, useState } from 'react';

export function useElapsed(since: number | null, everyMs: number): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    setElapsed(0);
    if (since === null) return;
    const t = setInterval(() => setElapsed(Date.now() - since), everyMs);
    return () => clearInterval(t);
  }, [since, everyMs]);
  return elapsed;
}

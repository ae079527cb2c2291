// What an event page waits for when it first loads after an import: the store counting the terms of the rows stored
// since it last did (its top lists sum those counts). Shown while the page loads, with how far the count has gone.

import { useRef } from 'react';
import { api, fmtNumber, type Status } from '../api';
import { usePoll } from './usePoll';

export function TermCountProgress() {
  const { data } = usePoll(() => api<Status>('GET', '/api/status'), 2000);
  const first = useRef<number | null>(null);
  const left = data?.termCounts?.rowsToCount ?? 0;
  if (left === 0) return null;
  first.current = Math.max(first.current ?? 0, left);
  const done = first.current - left;
  return (
    <div data-testid="term-count-progress">
      <p>
        Counting the terms of {fmtNumber(left)} rows not counted yet (rows just imported, most often): this page's top lists sum those counts.
        {done > 0 && ` ${fmtNumber(done)} counted since this page opened (${Math.round((100 * done) / first.current)}%).`}
      </p>
      {/* Without a value the bar moves without saying how far: nothing is counted yet, or a chunk is under way. */}
      {done > 0 ? <progress value={done} max={first.current} /> : <progress />}
      <p>
        <small className="muted">
          A large import's rows take minutes (of long posts on one core, about 35 s per million rows at 10 events, a minute at 1,000);{' '}
          <code>vigil import --data</code> counts them before it ends.
        </small>
      </p>
    </div>
  );
}

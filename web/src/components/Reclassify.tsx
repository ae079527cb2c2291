// Apply the event as it is defined now to posts already collected since a chosen time (read again from the raw log),
// with the job's progress. Rows written this way are marked backfilled; running it again changes nothing.

import { useEffect, useState } from 'react';
import { ApiError, api, enc, fmtNumber, fmtTime, localZone } from '../api';
import { usePoll } from './usePoll';

export type { ReclassifyJob } from '../api';

import type { ReclassifyJob } from '../api';

/** A datetime-local value `hours` before now, in local time. */
export function localTimeAgo(hours: number): string {
  const d = new Date(Date.now() - hours * 3_600_000);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function startReclassify(name: string, localSince: string): Promise<ReclassifyJob> {
  return api<ReclassifyJob>('POST', `/api/events/${enc(name)}/reclassify`, { since: new Date(localSince).toISOString() });
}

/** A window event (detail: the event's name) sent when another part of the page starts a re-classification. */
export const RECLASSIFY_STARTED = 'vigil:reclassify-started';

export function Reclassify({ name }: { name: string }) {
  const [since, setSince] = useState(localTimeAgo(24));
  const [error, setError] = useState<string | null>(null);
  // Asked once, then every second only while a job runs: no request a second answered "no job" (404).
  const [pollMs, setPollMs] = useState(0);
  const job = usePoll(
    async () => {
      try {
        return await api<ReclassifyJob>('GET', `/api/events/${enc(name)}/reclassify`);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    pollMs,
    [name],
  );
  const j = job.data;
  useEffect(() => setPollMs(j?.state === 'running' ? 1000 : 0), [j?.state]);
  const reload = job.reload;
  useEffect(() => {
    const started = (e: Event): void => {
      if ((e as CustomEvent<string>).detail !== name) return;
      reload();
      setPollMs(1000);
    };
    window.addEventListener(RECLASSIFY_STARTED, started);
    return () => window.removeEventListener(RECLASSIFY_STARTED, started);
  }, [name, reload]);
  const run = async (): Promise<void> => {
    setError(null);
    try {
      await startReclassify(name, since);
      job.reload();
      setPollMs(1000);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pct = j && j.total > 0 ? Math.round((j.scanned / j.total) * 100) : j?.state === 'done' ? 100 : 0;
  return (
    <article className="panel" data-testid="reclassify">
      <h3>Apply to posts already collected</h3>
      <p className="muted">
        Runs this event, as defined now, over every post collected since the time below (from the raw log, kept for its retention). Rows found this way are
        marked <code>backfilled</code>; running it again changes nothing.
      </p>
      <div className="row">
        <label htmlFor="reclassify-since">since</label>
        <input id="reclassify-since" type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} />
        <small className="muted" data-testid="reclassify-zone">
          collection time, {localZone()}
        </small>
        <button type="button" onClick={() => void run()} disabled={j?.state === 'running' || since === ''} data-testid="reclassify-start">
          Apply
        </button>
        {j?.state === 'running' && (
          <button type="button" className="secondary" onClick={() => void api('DELETE', `/api/events/${enc(name)}/reclassify`).then(job.reload)}>
            Cancel
          </button>
        )}
      </div>
      {error && (
        <small className="error" role="alert">
          {error}
        </small>
      )}
      {j && (
        <div data-testid="reclassify-progress">
          <progress value={pct} max={100} />
          <small>
            <span data-testid="reclassify-state">{j.state}</span>: {fmtNumber(j.scanned)} of {fmtNumber(j.total)} collected posts read since {fmtTime(j.since)},{' '}
            <span data-testid="reclassify-rows">{fmtNumber(j.rows)}</span> rows for the event
            {j.added !== null && (
              <>
                , <span data-testid="reclassify-added">{fmtNumber(j.added)}</span> of them new (the event did not hold them before; the rest were stored
                already; while the event collects live, what it stored meanwhile counts too)
              </>
            )}
            {j.error ? ` — ${j.error}` : ''}
          </small>
        </div>
      )}
    </article>
  );
}

// Rows of events that are no longer defined: deleting an event keeps what it collected (it cannot be collected
// again). Listed here, readable on their event page, until an administrator purges them.

import { useState } from 'react';
import { api, enc, fmtNumber, type StoredEvent } from '../api';
import { usePoll } from './usePoll';

function Orphan({ s, onPurged }: { s: StoredEvent; onPurged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const purge = async (): Promise<void> => {
    try {
      await api('DELETE', `/api/events/${enc(s.name)}/rows`);
      onPurged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <li data-testid="stored-without-event">
      <a href={`#/events/${enc(s.name)}`}>{s.name}</a> <small>{fmtNumber(s.count)} posts stored</small>{' '}
      {confirming ? (
        <span className="confirm" role="alertdialog" aria-label="confirm purge">
          Delete these {fmtNumber(s.count)} rows for good? They cannot be collected again.
          <button type="button" className="danger" onClick={() => void purge()}>
            Yes, purge
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <button type="button" className="outline danger small" onClick={() => setConfirming(true)} title="administrators only">
          Purge…
        </button>
      )}
      {error && (
        <small className="error" role="alert">
          {error}
        </small>
      )}
    </li>
  );
}

/** Names rows are stored under that no event has now (a deleted event's rows). Shows nothing when there are none. */
export function StoredWithoutEvent() {
  const stored = usePoll(() => api<StoredEvent[]>('GET', '/api/stored-events'), 10_000);
  const orphans = (stored.data ?? []).filter((s) => !s.defined);
  if (orphans.length === 0) return null;
  return (
    <section className="stored-without-event">
      <h3>Events with stored posts but no definition</h3>
      <p className="muted">
        Deleting an event keeps what it collected. These rows stay readable (open one for its page, exports and SQL) until an administrator purges them. An
        event created again under the same name takes them back.
      </p>
      <ul>
        {orphans.map((s) => (
          <Orphan key={s.name} s={s} onPurged={stored.reload} />
        ))}
      </ul>
    </section>
  );
}

// Rows of events that are no longer defined: deleting an event keeps what it collected (it cannot be collected
// again). Listed here, readable on their event page, until an administrator purges them.

import { useState } from 'react';
import { api, enc, fmtNumber, type StoredEvent } from '../api';
import { ConfirmButton } from './ConfirmButton';
import { usePoll } from './usePoll';

function Orphan({ s, onPurged }: { s: StoredEvent; onPurged: () => void }) {
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
      <ConfirmButton
        label="Purge…"
        className="outline danger small"
        title="administrators only"
        ariaLabel="confirm purge"
        question={<>Delete these {fmtNumber(s.count)} rows for good? They cannot be collected again.</>}
        yes="Yes, purge"
        onConfirm={() => void purge()}
      />
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

// Events page: collection status, the event form, and one card per event with live figures.

import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type EventLive, enc, type FieldError, fmtNumber, fmtTime, localZone, type Status, type VigilEvent } from '../api';
import { Sparkline } from '../components/Chart';
import { ConfirmButton } from '../components/ConfirmButton';
import { KeywordInput } from '../components/KeywordInput';
import { localTimeAgo, startReclassify } from '../components/Reclassify';
import { replayProgress } from '../components/replay-progress';
import { StoredWithoutEvent } from '../components/StoredWithoutEvent';
import { UploadBox } from '../components/UploadBox';
import { usePoll } from '../components/usePoll';

function StatusPanel() {
  const { data: s } = usePoll(() => api<Status>('GET', '/api/status'), 2000);
  const last = useRef<{ at: number; published: number; bytes: number } | null>(null);
  const [rate, setRate] = useState(0);
  const [byteRate, setByteRate] = useState(0);
  useEffect(() => {
    if (!s) return;
    const now = Date.now();
    const published = s.tracker?.published ?? 0;
    const bytes = s.tracker?.source?.bytesRead ?? 0;
    if (last.current && now > last.current.at) {
      setRate(Math.max(0, ((published - last.current.published) * 1000) / (now - last.current.at)));
      setByteRate(Math.max(0, ((bytes - last.current.bytes) * 1000) / (now - last.current.at)));
    }
    last.current = { at: now, published, bytes };
  }, [s]);
  if (!s) return <article aria-busy="true">Loading collection status…</article>;
  const src = s.tracker?.source ?? null;
  const c = s.classifier.counts ?? { lines: 0, posts: 0, rows: 0, rejected: 0, other: 0, limited: 0 };
  const keywords = s.keywords ?? { tracked: 0, limit: 400 };
  return (
    <article className="status" data-testid="status">
      <div className="status-grid">
        <div>
          <small>Source</small>
          <strong data-testid="status-source">{src ? `${src.source} (${src.state})` : 'none connected'}</strong>
          <small data-testid="status-progress">{src ? replayProgress(src, s.classifier.lag ?? 0, byteRate) : 'upload an archive below'}</small>
        </div>
        <div>
          <small>Tracked keywords</small>
          <strong>
            {keywords.tracked} / {keywords.limit}
          </strong>
          <small>Twitter track limit</small>
        </div>
        <div>
          <small>Posts in</small>
          <strong data-testid="status-rate">{fmtNumber(Math.round(rate))}/s</strong>
          <small>{fmtNumber(s.tracker?.published ?? 0)} published since this start</small>
        </div>
        <div>
          <small>Classified</small>
          <strong>{fmtNumber(c.posts)}</strong>
          <small>
            since this start: {fmtNumber(c.rows)} rows · {fmtNumber(c.other)} notices
          </small>
        </div>
        <div>
          <small>Rejects</small>
          <strong data-testid="status-rejects">{fmtNumber(s.rejectsStored ?? 0)}</strong>
          <small>stored, kept with reasons (table reject)</small>
        </div>
        <div>
          <small>Classifier lag</small>
          <strong data-testid="status-lag">{fmtNumber(s.classifier.lag ?? 0)}</strong>
          <small>{s.classifier.workers} worker threads</small>
        </div>
        {c.limited > 0 && (
          <div>
            <small>Withheld by platform</small>
            <strong data-testid="status-withheld">{fmtNumber(c.limited)}</strong>
            <small>posts the platform said it held back (its limit notices), since this start</small>
          </div>
        )}
      </div>
      {s.classifier.failing && (
        <p className="error" role="alert" data-testid="status-failing">
          <strong>Storing is failing</strong> since {fmtTime(s.classifier.failing.since)} ({s.classifier.failing.attempts} attempts):{' '}
          {s.classifier.failing.reason}. Nothing is skipped: the same posts are tried again, next at {fmtTime(s.classifier.failing.retryAt)}, until this is
          fixed (the log says more).
        </p>
      )}
      {s.processes && (
        <p className="processes" data-testid="status-processes">
          <small>Role processes: </small>
          {s.processes.map((p) => (
            <span key={p.id} title={p.detail ?? `pid ${p.pid ?? '-'}`} className={p.state === 'ready' ? 'ok' : 'warn'}>
              {p.id} {p.state}
              {p.restarts > 0 ? ` (restarted ${p.restarts}×)` : ''}
            </span>
          ))}
        </p>
      )}
      <UploadBox />
    </article>
  );
}

interface FormState {
  name: string;
  keywords: string[];
  active: boolean;
  accounts: string;
  boxes: string;
  languages: string;
}

const words = (s: string): string[] => s.split(/[\s,]+/u).filter((w) => w !== '');

/** The form's text fields as the API's lists; a box that is not four numbers is sent as typed, for the API to name it. */
function eventBody(f: FormState): Record<string, unknown> {
  const boxes = f.boxes
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const n = l.split(/[\s,]+/u).map(Number);
      return n.length === 4 && n.every(Number.isFinite) ? n : l;
    });
  return { name: f.name, keywords: f.keywords, active: f.active, accounts: words(f.accounts), boxes, languages: words(f.languages) };
}

function formOf(e?: VigilEvent): FormState {
  return {
    name: e?.name ?? '',
    keywords: e?.keywords ?? [],
    active: e?.active ?? true,
    accounts: (e?.accounts ?? []).join(' '),
    boxes: (e?.boxes ?? []).map((b) => b.join(', ')).join('\n'),
    languages: (e?.languages ?? []).join(' '),
  };
}

function fieldError(errors: FieldError[], field: string): string | undefined {
  const hits = errors.filter((e) => e.field === field || e.field.startsWith(`${field}[`));
  return hits.length === 0 ? undefined : hits.map((e) => (e.field === field ? e.message : `${e.field}: ${e.message}`)).join('; ');
}

export function EventForm({ initial, onDone, onCancel }: { initial?: VigilEvent; onDone: () => void; onCancel?: () => void }) {
  const [form, setForm] = useState<FormState>(formOf(initial));
  const [more, setMore] = useState(Boolean(initial?.accounts?.length || initial?.boxes?.length || initial?.languages?.length));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [backfill, setBackfill] = useState({ on: false, since: localTimeAgo(24) });
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setErrors([]);
    setGeneral(null);
    try {
      if (initial) await api('PUT', `/api/events/${enc(initial.name)}`, eventBody(form));
      else await api('POST', '/api/events', eventBody(form));
      if (backfill.on) await startReclassify(form.name.trim(), backfill.since);
      if (!initial) setForm(formOf());
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) setErrors(err.errors);
      else setGeneral((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const nameErr = fieldError(errors, 'name');
  const kwErr = fieldError(errors, 'keywords');
  const prefix = initial ? `edit-${initial.name}` : 'new';
  return (
    <form className="event-form" onSubmit={submit} data-testid={initial ? 'edit-form' : 'new-event-form'}>
      <label htmlFor={`${prefix}-name`}>Name</label>
      <input
        id={`${prefix}-name`}
        name="name"
        value={form.name}
        placeholder="2012 Hurricane Sandy"
        aria-invalid={nameErr ? 'true' : undefined}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
      />
      {nameErr && (
        <small className="error" data-testid="error-name">
          {nameErr}
        </small>
      )}
      <label htmlFor={`${prefix}-keywords`}>
        Keywords <small>(Twitter track: all words of a phrase, any order; up to 400 phrases of 60 bytes)</small>
      </label>
      <KeywordInput id={`${prefix}-keywords`} value={form.keywords} invalid={Boolean(kwErr)} onChange={(keywords) => setForm({ ...form, keywords })} />
      {kwErr && (
        <small className="error" data-testid="error-keywords">
          {kwErr}
        </small>
      )}
      <details open={more} onToggle={(e) => setMore((e.target as HTMLDetailsElement).open)}>
        <summary>Accounts, places and languages</summary>
        <label htmlFor={`${prefix}-accounts`}>
          Accounts <small>(posts by, mentioning or replying to them: handles like @nycgov, or ids — Twitter v1.1 follows numeric ids, Bluesky DIDs)</small>
        </label>
        <input
          id={`${prefix}-accounts`}
          name="accounts"
          value={form.accounts}
          placeholder="@nycgov 783214"
          aria-invalid={fieldError(errors, 'accounts') ? 'true' : undefined}
          onChange={(e) => setForm({ ...form, accounts: e.target.value })}
        />
        {fieldError(errors, 'accounts') && (
          <small className="error" data-testid="error-accounts">
            {fieldError(errors, 'accounts')}
          </small>
        )}
        <label htmlFor={`${prefix}-boxes`}>
          Bounding boxes <small>(one per line: west, south, east, north in degrees; posts with coordinates inside or a place overlapping)</small>
        </label>
        <textarea
          id={`${prefix}-boxes`}
          name="boxes"
          rows={2}
          value={form.boxes}
          placeholder="-74.3, 40.5, -73.7, 40.9"
          aria-invalid={fieldError(errors, 'boxes') ? 'true' : undefined}
          onChange={(e) => setForm({ ...form, boxes: e.target.value })}
        />
        {fieldError(errors, 'boxes') && (
          <small className="error" data-testid="error-boxes">
            {fieldError(errors, 'boxes')}
          </small>
        )}
        <label htmlFor={`${prefix}-languages`}>
          Languages <small>(a filter on all of the above: only posts in these languages, e.g. en es)</small>
        </label>
        <input
          id={`${prefix}-languages`}
          name="languages"
          value={form.languages}
          placeholder="en es"
          aria-invalid={fieldError(errors, 'languages') ? 'true' : undefined}
          onChange={(e) => setForm({ ...form, languages: e.target.value })}
        />
        {fieldError(errors, 'languages') && (
          <small className="error" data-testid="error-languages">
            {fieldError(errors, 'languages')}
          </small>
        )}
      </details>
      <label className="switch">
        <input type="checkbox" checked={backfill.on} onChange={(e) => setBackfill({ ...backfill, on: e.target.checked })} data-testid="backfill" /> Also apply
        to posts already collected since{' '}
        <input
          type="datetime-local"
          aria-label="apply since"
          value={backfill.since}
          disabled={!backfill.on}
          onChange={(e) => setBackfill({ ...backfill, since: e.target.value })}
          style={{ width: 'auto', display: 'inline-block' }}
        />{' '}
        <small className="muted" data-testid="backfill-zone">
          (collection time, {localZone()})
        </small>
      </label>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={form.active}
          checked={form.active}
          onChange={(e) => setForm({ ...form, active: e.target.checked })}
        />{' '}
        Collecting (active)
      </label>
      {general && (
        <small className="error" role="alert">
          {general}
        </small>
      )}
      <div className="row">
        <button type="submit" aria-busy={busy}>
          {initial ? 'Save' : 'Create event'}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * `live`: the event's figures once the overview is read (`counted`: true, or why it could not be); none in it means
 * no post stored yet.
 */
function EventCard({ event, live, counted, onChanged }: { event: VigilEvent; live?: EventLive; counted: true | string | null; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const perMinute = live?.perMinute ?? new Array<number>(60).fill(0);
  return (
    <article className="card" data-testid={`card-${event.name}`}>
      <header>
        <a href={`#/events/${enc(event.name)}`} className="card-title">
          {event.name}
        </a>
        <span className={`badge ${event.active ? 'on' : 'off'}`} data-testid="card-state">
          {event.active ? 'active' : 'paused'}
        </span>
      </header>
      {editing ? (
        <EventForm
          initial={event}
          onDone={() => {
            setEditing(false);
            onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <div className="chips">
            {event.keywords.map((k) => (
              <span className="chip" key={k}>
                {k}
              </span>
            ))}
            {(event.accounts ?? []).map((a) => (
              <span className="chip account" key={`a:${a}`} title="account">
                @{a.replace(/^@/u, '')}
              </span>
            ))}
            {(event.boxes ?? []).map((b) => (
              <span className="chip box" key={`b:${b.join()}`} title="bounding box (w, s, e, n)">
                ▭ {b.join(', ')}
              </span>
            ))}
            {(event.languages ?? []).length > 0 && (
              <span className="chip lang" title="languages">
                lang: {(event.languages ?? []).join(', ')}
              </span>
            )}
          </div>
          <div className="figures">
            <div>
              <strong data-testid="card-count" aria-busy={counted === null} title={counted === true ? undefined : (counted ?? 'counting…')}>
                {counted === true ? fmtNumber(live?.count ?? 0) : counted === null ? '…' : '?'}
              </strong>
              <small>posts stored</small>
            </div>
            <div>
              <Sparkline values={perMinute} testId="card-sparkline" />
              <small title="rows stored per minute over the last hour, by collection time (not post time)">
                {fmtNumber(perMinute[perMinute.length - 1] ?? 0)} stored in the last minute (collection time)
              </small>
            </div>
            <div>
              <strong className="small">{fmtTime(live?.lastPost ?? null)}</strong>
              <small>last post</small>
            </div>
          </div>
          <div className="row actions">
            <a role="button" className="outline" href={`#/events/${enc(event.name)}`}>
              Open
            </a>
            <button type="button" className="outline" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" className="outline" onClick={() => act(() => api('PATCH', `/api/events/${enc(event.name)}`, { active: !event.active }))}>
              {event.active ? 'Pause' : 'Resume'}
            </button>
            <ConfirmButton
              label="Delete"
              ariaLabel="confirm delete"
              question={<>Delete “{event.name}”? Its stored rows stay, listed under “Events with stored posts but no definition” until purged.</>}
              yes="Yes, delete"
              onConfirm={() => act(() => api('DELETE', `/api/events/${enc(event.name)}`))}
            />
          </div>
        </>
      )}
      {error && (
        <small className="error" role="alert">
          {error}
        </small>
      )}
    </article>
  );
}

export function EventsPage() {
  const events = usePoll(() => api<VigilEvent[]>('GET', '/api/events'), 5000);
  const live = usePoll(() => api<Record<string, EventLive>>('GET', '/api/overview'), 2000);
  const reload = (): void => {
    events.reload();
    live.reload();
  };
  return (
    <>
      <StatusPanel />
      <div className="events-layout">
        <section>
          <h2>Events</h2>
          {events.data?.length === 0 && <p className="muted">No events yet. Create one: Vigil stores every post that matches any of its keywords.</p>}
          <div className="cards">
            {events.data?.map((e) => (
              <EventCard key={e.id} event={e} live={live.data?.[e.name]} counted={live.data !== null ? true : live.error} onChanged={reload} />
            ))}
          </div>
          <StoredWithoutEvent key={events.data?.length} />
        </section>
        <aside>
          <h2>New event</h2>
          <EventForm onDone={reload} />
        </aside>
      </div>
    </>
  );
}

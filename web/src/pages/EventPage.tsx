// Event page: what one event collected — volume, top hashtags, words, users, mentions, links, languages, retweet
// share, the newest posts live, and exports.

import { useState } from 'react';
import { api, enc, fmtNumber, fmtTime, type Summary, type TweetRowView, type VigilEvent } from '../api';
import { Chart } from '../components/Chart';
import { CoverageTimeline } from '../components/CoverageTimeline';
import { EventMap } from '../components/EventMap';
import { ExportButtons } from '../components/ExportButtons';
import { KeywordFeedback } from '../components/KeywordFeedback';
import { Reclassify } from '../components/Reclassify';
import { TermCountProgress } from '../components/TermCountProgress';
import { usePoll } from '../components/usePoll';

type Bucket = Summary['bucket'];

function TopList<T extends { n: number }>({
  title,
  rows,
  label,
  testId,
  link,
}: {
  title: string;
  rows: T[];
  label: (r: T) => string;
  testId: string;
  link?: boolean;
}) {
  return (
    <article className="panel">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">none yet</p>
      ) : (
        <ol className="toplist" data-testid={testId}>
          {rows.map((r) => (
            <li key={label(r)}>
              <span className="toplabel">
                {link ? (
                  <a href={label(r)} target="_blank" rel="noreferrer noopener">
                    {label(r)}
                  </a>
                ) : (
                  label(r)
                )}
              </span>
              <span className="topn">{fmtNumber(r.n)}</span>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}

function TopChart<T extends { n: number }>({ title, rows, label, testId }: { title: string; rows: T[]; label: (r: T) => string; testId: string }) {
  const top = rows.slice(0, 12);
  return (
    <article className="panel">
      <h3>{title}</h3>
      {top.length === 0 ? (
        <p className="muted">none yet</p>
      ) : (
        <Chart kind="bar" horizontal labels={top.map(label)} values={top.map((r) => r.n)} height={Math.max(160, top.length * 24)} testId={testId} />
      )}
    </article>
  );
}

type TailRow = TweetRowView;

/** `keyword:sandy in hashtag, account:nycgov in mention`: why the post belongs to the event. */
function matchedBy(p: TailRow): string {
  return (p.match_targets ?? []).map((t, i) => `${t} in ${p.match_fields?.[i] ?? '?'}`).join(', ');
}

export function EventPage({ name }: { name: string }) {
  const [bucket, setBucket] = useState<Bucket>('hour');
  const summary = usePoll(() => api<Summary>('GET', `/api/events/${enc(name)}/summary?bucket=${bucket}`), 5000, [bucket, name]);
  const tail = usePoll(() => api<TailRow[]>('GET', `/api/events/${enc(name)}/tail?limit=25`), 2000, [name]);
  // A deleted event's stored posts have a page too; what needs the definition (keywords, re-classification) is left out.
  const events = usePoll(() => api<VigilEvent[]>('GET', '/api/events'), 10_000, [name]);
  const defined = events.data === null ? null : events.data.some((e) => e.name === name);
  const s = summary.data;
  return (
    <>
      <nav aria-label="breadcrumb">
        <ul>
          <li>
            <a href="#/">Events</a>
          </li>
          <li>{name}</li>
        </ul>
      </nav>
      <header className="event-header">
        <h2>{name}</h2>
        <div className="row">
          <ExportButtons name={name} />
          <a
            className="small-btn"
            href={`/api/events/${enc(name)}/manifest`}
            target="_blank"
            rel="noreferrer"
            data-testid="manifest"
            title="what every export is described by: the event's definition and keyword history, platforms, time window, coverage, Vigil version, how to cite"
          >
            Manifest
          </a>
          <small className="muted">posts deleted on their platform are left out of every export</small>
        </div>
        <div className="row">
          <span className="muted" title="GEXF opens in Gephi; CSV is an edge list (source, target, weight)">
            Networks (Gephi):
          </span>
          {(['retweet', 'mention', 'reply', 'cohashtag'] as const).map((t) => (
            <a
              key={t}
              role="button"
              className="outline secondary small-btn"
              href={`/api/events/${enc(name)}/network?type=${t}&format=gexf`}
              download
              data-testid={`network-${t}`}
            >
              {t === 'cohashtag' ? 'co-hashtag' : t}
            </a>
          ))}
          <a className="small-btn" href={`/api/events/${enc(name)}/network?type=retweet&format=csv`} download>
            edge list CSV
          </a>
        </div>
      </header>
      {summary.error && (
        <p className="error" role="alert">
          {summary.error}
        </p>
      )}
      {!s ? (
        <article aria-busy="true">
          Loading…
          <TermCountProgress />
        </article>
      ) : (
        <>
          <div className="kpis">
            <article>
              <small>Posts</small>
              <strong data-testid="kpi-posts">{fmtNumber(s.posts)}</strong>
            </article>
            <article>
              <small>Retweets</small>
              <strong data-testid="kpi-retweet-share">{s.posts === 0 ? '—' : `${Math.round((s.retweets / s.posts) * 100)}%`}</strong>
              <small>
                {fmtNumber(s.retweets)} of {fmtNumber(s.posts)}
              </small>
            </article>
            <article>
              <small>Languages</small>
              <strong data-testid="kpi-languages">{s.languages.length}</strong>
              <small>
                {s.languages.length > 3 ? 'most posts: ' : ''}
                {s.languages
                  .slice(0, 3)
                  .map((l) => l.lang)
                  .join(', ')}
                {s.languages.length > 3 ? ` and ${s.languages.length - 3} more (chart below)` : ''}
              </small>
            </article>
            <article>
              <small>Users</small>
              <strong data-testid="kpi-users">{fmtNumber(s.distinctUsers)}</strong>
              <small>distinct authors; the top 20 are listed below</small>
            </article>
          </div>
          <article className="panel">
            <header className="row between">
              <h3>Volume over time (post time, UTC)</h3>
              <select aria-label="bucket" value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)} data-testid="bucket">
                <option value="minute">per minute</option>
                <option value="hour">per hour</option>
                <option value="day">per day</option>
              </select>
            </header>
            <Chart
              kind="line"
              labels={s.volume.map((v) => v.bucket.replace('T', ' ').slice(0, bucket === 'day' ? 10 : 16))}
              values={s.volume.map((v) => v.n)}
              testId="volume-chart"
            />
            {s.volumeNote && (
              <small className="notice" data-testid="volume-note">
                {s.volumeNote}
              </small>
            )}
          </article>
          {defined === false && (
            <article className="notice" data-testid="not-defined">
              No event named “{name}” is defined now: these are the stored posts of a deleted event, kept until an administrator purges them on the events page.
              Create an event of this name again to collect for it and take them back.
            </article>
          )}
          {defined && <KeywordFeedback name={name} />}
          <EventMap name={name} />
          <CoverageTimeline name={name} />
          {defined && <Reclassify name={name} />}
          <div className="grid-2">
            <TopChart title="Top hashtags" rows={s.hashtags} label={(r) => `#${r.hashtag}`} testId="hashtags-chart" />
            <TopChart title="Top words (stop words left out)" rows={s.words} label={(r) => r.word} testId="words-chart" />
            <TopChart title="Top users" rows={s.users} label={(r) => (r.user === null ? '(no handle)' : `@${r.user}`)} testId="users-chart" />
            <TopChart title="Top mentioned users" rows={s.mentions} label={(r) => `@${r.user}`} testId="mentions-chart" />
            <TopList title="Top links" rows={s.urls} label={(r) => r.url} testId="urls-list" link />
            <TopList title="Top domains" rows={s.domains} label={(r) => r.domain} testId="domains-list" />
            <article className="panel">
              <h3>Languages</h3>
              {s.languages.length === 0 ? (
                <p className="muted">none yet</p>
              ) : (
                <Chart
                  kind="pie"
                  labels={s.languages.map((l) => l.lang ?? 'unknown')}
                  values={s.languages.map((l) => l.n)}
                  height={220}
                  testId="languages-chart"
                />
              )}
            </article>
          </div>
        </>
      )}
      <article className="panel">
        <h3>
          Newest posts <small className="muted">(live)</small>
        </h3>
        <ul className="tail" data-testid="tail">
          {(tail.data ?? []).map((p) => (
            <li key={p.t_id}>
              <div className="tail-meta">
                <strong>@{p.u_screen_name ?? '?'}</strong>{' '}
                <span className="muted">
                  {fmtTime(p.t_created_at)}
                  {p.t_is_a_retweet ? ' · retweet' : ''}
                  {p.t_lang ? ` · ${p.t_lang}` : ''}
                  {p.backfilled ? ' · backfilled' : ''}
                </span>
                {matchedBy(p) && (
                  <small className="muted" data-testid="tail-matched">
                    {' '}
                    · matched {matchedBy(p)}
                  </small>
                )}
              </div>
              <div className="tail-text">{p.t_text}</div>
            </li>
          ))}
        </ul>
      </article>
    </>
  );
}

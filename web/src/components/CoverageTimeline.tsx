// The event's coverage: per source, a bar over the event's window — connected (green), not connected (grey),
// gaps without data (orange), posts the platform withheld (red ticks) — with the figures a methods section quotes.

import { api, type CoverageReportView, enc, fmtNumber, fmtTime } from '../api';
import { usePoll } from './usePoll';

export type Coverage = CoverageReportView;
const W = 800;

export function CoverageTimeline({ name }: { name: string }) {
  const { data: c, error } = usePoll(() => api<Coverage>('GET', `/api/events/${enc(name)}/coverage`), 30_000, [name]);
  if (error)
    return (
      <article className="panel">
        <h3>Coverage</h3>
        <p className="error">{error}</p>
      </article>
    );
  if (!c)
    return (
      <article className="panel" aria-busy="true">
        <h3>Coverage</h3>
      </article>
    );
  const t0 = Date.parse(c.window.from);
  const span = Math.max(1, Date.parse(c.window.to) - t0);
  const x = (iso: string): number => Math.max(0, Math.min(W, ((Date.parse(iso) - t0) / span) * W));
  return (
    <article className="panel coverage" data-testid="coverage">
      <h3>
        Coverage{' '}
        <small className="muted">
          what collection saw and missed, {fmtTime(c.window.from)} – {fmtTime(c.window.to)}
        </small>
      </h3>
      {c.sources.map((s) => (
        <div key={s.source} className="coverage-source" data-testid={`coverage-${s.source}`}>
          <div className="row">
            <strong>{s.source}</strong>
            <span data-testid="coverage-uptime">connected {(s.uptimeShare * 100).toFixed(1)}%</span>
            <span data-testid="coverage-reconnects">{fmtNumber(s.reconnects)} reconnects</span>
            <span data-testid="coverage-gaps">
              {fmtNumber(s.gaps.length)} gaps over {Math.round(c.gapThresholdMs / 1000)} s
            </span>
            <span data-testid="coverage-withheld">{fmtNumber(s.withheld)} posts withheld</span>
          </div>
          <svg viewBox={`0 0 ${W} 28`} width="100%" height="28" role="img" aria-label={`${s.source} coverage timeline`}>
            <rect x="0" y="6" width={W} height="16" fill="#d0d4d9" />
            {s.up.map((u) => (
              <rect key={u.from} x={x(u.from)} y="6" width={Math.max(1, x(u.to) - x(u.from))} height="16" fill="#2e9d5b">
                <title>
                  connected {fmtTime(u.from)} – {fmtTime(u.to)}
                </title>
              </rect>
            ))}
            {s.gaps.map((g) => (
              <rect key={g.from} x={x(g.from)} y="10" width={Math.max(2, x(g.to) - x(g.from))} height="8" fill="#f0a030">
                <title>
                  no data for {Math.round(g.ms / 1000)} s from {fmtTime(g.from)}
                </title>
              </rect>
            ))}
            {s.limits.map((l) => (
              <rect key={l.at} x={x(l.at)} y="0" width="2" height="28" fill="#c0392b">
                <title>
                  {l.count} posts withheld ({fmtTime(l.at)})
                </title>
              </rect>
            ))}
          </svg>
        </div>
      ))}
      <p className="muted" data-testid="coverage-summary">
        {c.summary}
      </p>
      {c.sources.length > 0 && (
        <small className="muted" data-testid="coverage-legend">
          Green: connected · grey: not connected · orange: no data longer than the gap threshold · red: posts withheld by the platform (limit notices).
        </small>
      )}
      <p className="muted" data-testid="coverage-rejects">
        Rejected lines in the window: <strong>{fmtNumber(c.rejects)}</strong> from any source
        {c.eventRejects !== null && (
          <>
            , <strong data-testid="coverage-event-rejects">{fmtNumber(c.eventRejects)}</strong> of them holding one of this event's keywords (an unreadable line
            names no event, so its text is searched for them)
          </>
        )}
        .
      </p>
      <small className="muted">The dataset export carries this report in its manifest.</small>
    </article>
  );
}

// Keyword feedback on the event page: how each keyword is doing (posts, share, posts per hour) and terms rising in
// the latest posts that are not keywords yet, each with a button that adds it to the event.

import { useState } from 'react';
import { api, enc, fmtNumber, type KeywordFeedback as KeywordFeedbackView, type VigilEvent } from '../api';
import { Sparkline } from './Chart';
import { RECLASSIFY_STARTED } from './Reclassify';
import { usePoll } from './usePoll';

type Feedback = KeywordFeedbackView;

export function KeywordFeedback({ name }: { name: string }) {
  const fb = usePoll(() => api<Feedback>('GET', `/api/events/${enc(name)}/keywords`), 10_000, [name]);
  const [message, setMessage] = useState<string | null>(null);
  /** The keyword just added, offered to be applied to the posts already collected. */
  const [added, setAdded] = useState<string | null>(null);
  const add = async (term: string): Promise<void> => {
    setMessage(null);
    setAdded(null);
    try {
      const event = await api<VigilEvent>('GET', `/api/events/${enc(name)}`);
      await api('PATCH', `/api/events/${enc(name)}`, { keywords: [...event.keywords, term] });
      fb.reload();
      setMessage(`added "${term}": it is tracked from now on.`);
      setAdded(term);
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  // Every post still in the raw log (its retention) is read again; progress shows in "Apply to posts already collected".
  const applyToCollected = async (): Promise<void> => {
    try {
      await api('POST', `/api/events/${enc(name)}/reclassify`, { since: new Date(0).toISOString() });
      window.dispatchEvent(new CustomEvent(RECLASSIFY_STARTED, { detail: name }));
      setMessage(`applying "${added}" to the posts already collected: progress under "Apply to posts already collected".`);
      setAdded(null);
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  const d = fb.data;
  if (fb.error) return null;
  return (
    <div className="grid-2">
      <article className="panel">
        <h3>
          Keywords <small className="muted">posts matched, share of the event, per hour</small>
        </h3>
        <p className="muted" data-testid="keyword-share-note">
          <small>A post can match several keywords, so the shares can add up to more than 100 %.</small>
        </p>
        {!d ? (
          <p aria-busy="true" />
        ) : (
          <table data-testid="keyword-table">
            <tbody>
              {d.keywords.map((k) => (
                <tr key={k.keyword}>
                  <td>{k.keyword}</td>
                  <td className="num">{fmtNumber(k.posts)}</td>
                  <td className="num">{Math.round(k.share * 100)} %</td>
                  <td>
                    {k.perHour.length > 1 ? (
                      <Sparkline values={k.perHour.map((h) => h.n)} />
                    ) : (
                      <small className="muted">{k.posts === 0 ? 'no match yet' : ''}</small>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </article>
      <article className="panel">
        <h3>
          Rising terms{' '}
          <small
            className="muted"
            title="The hours end where the 5 minutes holding the newest post end: a newest post at 14:47 makes the last hour 13:50-14:50."
          >
            in the last hour of posts against the 6 hours before, not keywords yet (stop words left out)
          </small>
        </h3>
        {message && (
          <p role="status" data-testid="keyword-added">
            <small>{message}</small>{' '}
            {added && (
              <button type="button" className="outline small-btn" data-testid="apply-keyword" onClick={() => void applyToCollected()}>
                Apply "{added}" to the posts already collected
              </button>
            )}
          </p>
        )}
        {!d || d.suggestions.length === 0 ? (
          <p className="muted">none rising</p>
        ) : (
          <ul className="suggestions" data-testid="suggestions">
            {d.suggestions.map((s) => (
              <li key={s.term}>
                <span>{s.term}</span>{' '}
                <small className="muted">
                  {s.recent} in the last hour · {s.before} in the 6 hours before
                </small>{' '}
                <button type="button" className="outline small-btn" onClick={() => void add(s.term)} aria-label={`add ${s.term} as a keyword`}>
                  Add
                </button>
              </li>
            ))}
          </ul>
        )}
      </article>
    </div>
  );
}

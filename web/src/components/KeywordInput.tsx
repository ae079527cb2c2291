// Keywords as chips: type a phrase and press Enter (or comma) to add it; × removes it. Text pasted with commas or
// line breaks becomes one chip per phrase, and "Paste many" takes a list, one phrase per line, with a running count.

import { useState } from 'react';
import { EVENT_LIMITS, splitPhrases } from '../../../src/core/event';

export function KeywordInput({ value, onChange, invalid, id }: { value: string[]; onChange: (k: string[]) => void; invalid?: boolean; id?: string }) {
  const [draft, setDraft] = useState('');
  const [bulk, setBulk] = useState('');
  const addAll = (text: string): void => {
    const seen = new Set(value.map((k) => k.toLowerCase()));
    const fresh = splitPhrases(text).filter((k) => !seen.has(k.toLowerCase()) && seen.add(k.toLowerCase()));
    if (fresh.length > 0) onChange([...value, ...fresh]);
  };
  const add = (): void => {
    addAll(draft);
    setDraft('');
  };
  const bulkPhrases = splitPhrases(bulk);
  const total = new Set([...value, ...bulkPhrases].map((k) => k.toLowerCase())).size;
  return (
    <div className="keyword-input">
      <div className="chips-input" aria-invalid={invalid ? 'true' : undefined}>
        {value.map((k) => (
          <span className="chip" key={k}>
            {k}
            <button type="button" className="chip-x" aria-label={`remove ${k}`} onClick={() => onChange(value.filter((x) => x !== k))}>
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          value={draft}
          placeholder={value.length === 0 ? 'a keyword or phrase, then Enter' : 'add another…'}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={add}
          onPaste={(e) => {
            const text = e.clipboardData.getData('text');
            if (!/[,\n\r]/u.test(text)) return;
            e.preventDefault();
            addAll(draft + text);
            setDraft('');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ',') {
              e.preventDefault();
              add();
            } else if (e.key === 'Backspace' && draft === '' && value.length > 0) onChange(value.slice(0, -1));
          }}
        />
      </div>
      <div className="muted small">
        {value.length} / {EVENT_LIMITS.keywordsMax} phrases. A phrase's words must all appear in a post; separate phrases with a comma or Enter.
      </div>
      <details className="bulk-keywords">
        <summary>Paste many (one phrase per line)</summary>
        <textarea aria-label="phrases, one per line" rows={6} value={bulk} onChange={(e) => setBulk(e.target.value)} />
        <div className="row">
          <span className={total > EVENT_LIMITS.keywordsMax ? 'error small' : 'muted small'} data-testid="bulk-count">
            {bulkPhrases.length} to add; {total} / {EVENT_LIMITS.keywordsMax} in all
          </span>
          <button
            type="button"
            disabled={bulkPhrases.length === 0}
            onClick={() => {
              addAll(bulk);
              setBulk('');
            }}
          >
            Add {bulkPhrases.length} phrases
          </button>
        </div>
      </details>
    </div>
  );
}

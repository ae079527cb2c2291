// Keywords as chips: type a phrase and press Enter (or comma) to add it; × removes it.

import { useState } from 'react';

export function KeywordInput({ value, onChange, invalid, id }: { value: string[]; onChange: (k: string[]) => void; invalid?: boolean; id?: string }) {
  const [draft, setDraft] = useState('');
  const add = (): void => {
    const k = draft.trim().replace(/\s+/g, ' ');
    if (k !== '' && !value.includes(k)) onChange([...value, k]);
    setDraft('');
  };
  return (
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
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add();
          } else if (e.key === 'Backspace' && draft === '' && value.length > 0) onChange(value.slice(0, -1));
        }}
      />
    </div>
  );
}

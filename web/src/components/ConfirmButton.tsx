// A button for what cannot be undone: a first click asks, in place, and only "Yes, …" does it; "Keep" backs out.

import { type ReactNode, useState } from 'react';

export function ConfirmButton({
  label,
  question,
  yes,
  ariaLabel,
  onConfirm,
  className = 'outline danger',
  title,
}: {
  label: string;
  question: ReactNode;
  yes: string;
  ariaLabel: string;
  onConfirm: () => void;
  className?: string;
  title?: string;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className={className} onClick={() => setConfirming(true)} title={title}>
        {label}
      </button>
    );
  return (
    <span className="confirm" role="alertdialog" aria-label={ariaLabel}>
      {question}
      <button type="button" className="danger" onClick={onConfirm}>
        {yes}
      </button>
      <button type="button" className="secondary" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}

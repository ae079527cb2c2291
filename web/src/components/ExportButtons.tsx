// The event's exports: each button prepares the file on the server and says so while it does (a large event takes
// seconds), then names what was saved. Raw JSON, most of a file's size, can be left out.

import { useState } from 'react';
import { downloadFile, enc, fmtBytes } from '../api';
import { useElapsed } from './useElapsed';

type Format = 'csv' | 'jsonl' | 'parquet' | 'ids' | 'bundle';

const BUTTONS: { format: Format; label: string; title?: string; secondary?: boolean }[] = [
  { format: 'csv', label: 'CSV', title: 'lists as JSON arrays, times in UTC with their zone' },
  { format: 'jsonl', label: 'JSONL' },
  { format: 'parquet', label: 'Parquet', title: 'times as UTC timestamps (TIMESTAMPTZ)' },
  { format: 'ids', label: 'IDs only', secondary: true, title: "post ids only, one per line: a dehydrated dataset to share under the platforms' terms" },
  {
    format: 'bundle',
    label: 'Dataset + manifest',
    secondary: true,
    title: 'rows (Parquet), ids and a manifest (event definition and keyword history, platforms, time window, checksums, how to cite)',
  },
];

export function ExportButtons({ name }: { name: string }) {
  const [withoutRaw, setWithoutRaw] = useState(false);
  const [busy, setBusy] = useState<{ label: string; since: number } | null>(null);
  const elapsed = useElapsed(busy?.since ?? null, 250);
  const [done, setDone] = useState<string | null>(null);
  const save = async (format: Format, label: string): Promise<void> => {
    setDone(null);
    setBusy({ label, since: Date.now() });
    try {
      const raw = withoutRaw && format !== 'ids' && format !== 'bundle' ? '&raw=exclude' : '';
      const f = await downloadFile(`/api/events/${enc(name)}/export?format=${format}${raw}`, undefined, `${name}.${format}`);
      setDone(`saved ${f.name} (${fmtBytes(f.bytes)})`);
    } catch (e) {
      setDone(`export failed: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <span className="muted">Export rows:</span>
      {BUTTONS.map((b) => (
        <button
          key={b.format}
          type="button"
          className={`outline small-btn${b.secondary ? ' secondary' : ''}`}
          title={b.title}
          disabled={busy !== null}
          aria-busy={busy?.label === b.label}
          onClick={() => void save(b.format, b.label)}
          data-testid={`export-${b.format}`}
        >
          {b.label}
        </button>
      ))}
      <label className="inline" title="raw is each post's original JSON, about two thirds of a CSV">
        <input type="checkbox" checked={withoutRaw} onChange={(e) => setWithoutRaw(e.target.checked)} data-testid="export-without-raw" /> without raw JSON
      </label>
      {(busy || done) && (
        <small className="muted" aria-live="polite" data-testid="export-state">
          {busy ? `preparing ${busy.label}… ${Math.floor(elapsed / 1000)} s` : done}
        </small>
      )}
    </>
  );
}

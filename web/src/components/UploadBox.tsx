// Upload an archive (JSON lines, gzip or not) into Vigil's import folder, with progress, then replay it as if live.
// Drop a file on the box or choose one; the upload streams to the server (PUT /api/imports/NAME).

import { useState } from 'react';
import { api, csrfToken, enc, fmtNumber, type SourceStatus, type VigilEvent } from '../api';

/** The name the file gets in the import folder (what the server accepts: letters, digits, . _ -). */
function uploadName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/gu, '_').replace(/^[._-]+/u, '') || 'upload.jsonl';
}

function upload(file: File, name: string, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/api/imports/${enc(name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-csrf-token', csrfToken());
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        let message = `${xhr.status} ${xhr.statusText}`;
        try {
          message = (JSON.parse(xhr.responseText) as { error?: string }).error ?? message;
        } catch {
          // not JSON
        }
        reject(new Error(message));
      }
    };
    xhr.onerror = () => reject(new Error('the upload failed (connection lost); try again'));
    xhr.send(file);
  });
}

export function UploadBox() {
  const [file, setFile] = useState<File | null>(null);
  const [rate, setRate] = useState('');
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** The file was replayed before (same content): how many lines were skipped, and the events to offer re-classification for. */
  const [metBefore, setMetBefore] = useState<{ lines: number; events: string[] } | null>(null);
  const [over, setOver] = useState(false);

  const start = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setDone(null);
    setMetBefore(null);
    const name = uploadName(file.name);
    try {
      setSent(0);
      await upload(file, name, setSent);
      const status = await api<SourceStatus>('POST', '/api/replay', { file: name, ...(rate.trim() !== '' ? { rate: Number(rate) } : {}) });
      setDone(`${name} uploaded (${fmtNumber(file.size)} bytes) and replaying`);
      if (status.alreadyPublished) {
        const events = (await api<VigilEvent[]>('GET', '/api/events')).map((ev) => ev.name);
        setMetBefore({ lines: status.alreadyPublished, events });
      }
      setFile(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setSent(null);
    }
  };

  return (
    <form
      className={`upload${over ? ' over' : ''}`}
      data-testid="upload"
      onSubmit={(e) => void start(e)}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const f = e.dataTransfer.files[0];
        if (f) setFile(f);
      }}
    >
      <label>
        <span>
          Archive to replay (JSON lines of any supported platform, <code>.jsonl</code> or <code>.jsonl.gz</code>): drop it here or choose it
        </span>
        <input type="file" aria-label="archive to upload" accept=".jsonl,.json,.ndjson,.gz,.txt" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <label className="rate">
        <span>Lines per second (empty: as fast as possible)</span>
        <input type="number" min="0" aria-label="replay rate" value={rate} onChange={(e) => setRate(e.target.value)} />
      </label>
      <button type="submit" disabled={!file || sent !== null}>
        Upload and replay
      </button>
      {sent !== null && file && (
        <progress
          data-testid="upload-progress"
          value={sent}
          max={Math.max(1, file.size)}
          aria-label={`uploaded ${Math.round((100 * sent) / Math.max(1, file.size))}%`}
        />
      )}
      {error && (
        <small className="error" role="alert">
          {error}
        </small>
      )}
      {done && (
        <small className="ok" data-testid="upload-done">
          {done}
        </small>
      )}
      {metBefore && (
        <div className="notice" role="status" data-testid="upload-met-before">
          <p>
            This file was replayed before (the same content, whatever its name): its first {fmtNumber(metBefore.lines)} lines were sent then and are not sent
            again, so the posts already collected from it are not matched against the events as they are now.
          </p>
          {metBefore.events.length > 0 && (
            <p>
              Apply to posts already collected:{' '}
              {metBefore.events.map((ev, i) => (
                <span key={ev}>
                  {i > 0 && ', '}
                  <a href={`#/events/${enc(ev)}`} data-testid="apply-collected">
                    {ev}
                  </a>
                </span>
              ))}{' '}
              (each event's page has "Apply to posts already collected").
            </p>
          )}
        </div>
      )}
    </form>
  );
}

// Talking to Vigil's HTTP API. Errors carry the API's own wording and, for validation, the field it concerns.

// The API's shapes are declared once, with its routes (src/http/api-schemas.ts); the UI uses their types.
export type {
  Audit,
  CoverageReportView,
  EventLive,
  FieldError,
  GeoView,
  KeywordFeedback,
  Me,
  Notebook,
  NotebookCell,
  QueryResult,
  QuerySchema,
  ReclassifyJob,
  SourceStatus,
  Status,
  StoredEvent,
  Token,
  TweetRowView,
  User,
  VigilEvent,
} from '../../src/http/api-schemas';

import type { EventSummary, FieldError } from '../../src/http/api-schemas';
export type Summary = EventSummary;
export type Box = [number, number, number, number];

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** The CSRF value the server set at login (a readable cookie); sent back as a header with every change. */
export function csrfToken(): string {
  return decodeURIComponent(/(?:^|;\s*)vigil_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
}

/** Called when the server says the session is missing or expired. */
export let onUnauthorized: () => void = () => undefined;
export function setOnUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken() }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await res.text();
  const data = text === '' ? null : (JSON.parse(text) as unknown);
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
    const e = (data ?? {}) as { error?: string; errors?: FieldError[] };
    throw new ApiError(e.error ?? `${res.status} ${res.statusText}`, res.status, e.errors ?? []);
  }
  return data as T;
}

/**
 * Saves the file the server answers with (its name from content-disposition): a GET of `path`, or a POST of a JSON
 * `body`. Resolves once the file is in the browser's downloads, with its name, size and whether it was cut.
 */
export async function downloadFile(
  path: string,
  body?: unknown,
  fallbackName = 'download',
): Promise<{ name: string; bytes: number; truncated: string | null }> {
  const res = await fetch(
    path,
    body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() }, body: JSON.stringify(body) },
  );
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const e = (await res.json().catch(() => ({}))) as { error?: string; errors?: FieldError[] };
    throw new ApiError(e.error ?? `${res.status} ${res.statusText}`, res.status, e.errors ?? []);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, bytes: blob.size, truncated: res.headers.get('x-vigil-truncated') };
}

export const enc = encodeURIComponent;

export { fmtBytes, fmtNumber, fmtTime, fmtValue, localZone } from './format';

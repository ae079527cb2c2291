// Talking to Vigil's HTTP API. Errors carry the API's own wording and, for validation, the field it concerns.

export type Box = [number, number, number, number];
export interface VigilEvent { name: string; keywords: string[]; active: boolean; accounts?: string[]; boxes?: Box[]; languages?: string[]; createdAt: string; updatedAt: string }
export interface EventLive { count: number; lastPost: string | null; lastCollected: string | null; perMinute: number[] }
export interface FieldError { field: string; message: string }
export interface QueryResult { columns: { name: string; type: string }[]; rows: Record<string, unknown>[]; rowCount: number; truncated: boolean; elapsedMs: number }
export interface NotebookCell { sql: string; view: 'table' | 'bar' | 'line' | 'pie'; x?: string; y?: string }
export interface Notebook { name: string; cells: NotebookCell[]; updatedAt: string; owner: string }
export interface Status {
  mode: string;
  tracker: { source: { source: string; state: string; since: string; linesRead: number; detail?: string } | null; published: number };
  classifier: { counts: { lines: number; posts: number; rows: number; rejected: number; other: number; limited: number }; lag: number; activeEvents: number; workers: number };
  keywords: { tracked: number; limit: number };
  rejectsStored: number;
  /** Present when every role runs as its own process (vigil run --roles all). */
  processes?: { id: string; role: string; state: string; pid: number | null; restarts: number; detail?: string }[];
}
export interface Summary {
  event: string;
  bucket: 'minute' | 'hour' | 'day';
  volume: { bucket: string; n: number }[];
  hashtags: { hashtag: string; n: number }[];
  words: { word: string; n: number }[];
  users: { user: string; n: number }[];
  mentions: { user: string; n: number }[];
  urls: { url: string; n: number }[];
  domains: { domain: string; n: number }[];
  languages: { lang: string; n: number }[];
  posts: number;
  retweets: number;
}

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly errors: FieldError[] = []) {
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

export const enc = encodeURIComponent;

export function fmtNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

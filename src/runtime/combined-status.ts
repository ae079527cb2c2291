// GET /api/status of `vigil run --roles all`: one status for the processes the local orchestrator runs, shaped like
// embedded mode's (the UI reads it), from each process's own status.

import { errorMessage } from '../core/errors.js';
import type { ProcessHost } from '../core/ports.js';

type Counts = Record<'lines' | 'posts' | 'rows' | 'rejected' | 'other' | 'limited', number>;
interface RoleStatus {
  tracker?: { source: unknown; published: number } | null;
  classifier?: { counts?: Counts; workers?: number; activeEvents?: number; lag?: number; failing?: unknown };
  keywords?: unknown;
  rejectsStored?: number | null;
}

/** One status for the processes the local orchestrator runs, shaped like embedded mode's (the UI reads it). */
export async function combinedStatus(local: ProcessHost, headers: Record<string, string>): Promise<unknown> {
  const processes = await local.status();
  const answers = await Promise.all(
    processes.map(async (p) => {
      if (!p.url) return { p, s: null, why: `not running (${p.state})` };
      try {
        const res = await fetch(`${p.url}/api/status`, { headers, signal: AbortSignal.timeout(5000) });
        return res.ok ? { p, s: (await res.json()) as RoleStatus } : { p, s: null, why: `answered ${res.status}` };
      } catch (err) {
        return { p, s: null, why: errorMessage(err) };
      }
    }),
  );
  const of = (role: string): RoleStatus[] => answers.flatMap((a) => (a.p.role === role && a.s ? [a.s] : []));
  const trackers = of('tracker');
  const classifiers = of('classifier');
  const counts: Counts = { lines: 0, posts: 0, rows: 0, rejected: 0, other: 0, limited: 0 };
  for (const c of classifiers) for (const k of Object.keys(counts) as (keyof Counts)[]) counts[k] += c.classifier?.counts?.[k] ?? 0;
  const first = answers.find((a) => a.s)?.s;
  return {
    mode: 'roles as processes (local orchestrator)',
    tracker: { source: trackers[0]?.tracker?.source ?? null, published: trackers.reduce((n, t) => n + (t.tracker?.published ?? 0), 0) },
    classifier: {
      counts,
      lag: first?.classifier?.lag ?? null,
      workers: classifiers.reduce((n, c) => n + (c.classifier?.workers ?? 0), 0),
      activeEvents: Math.max(0, ...classifiers.map((c) => c.classifier?.activeEvents ?? 0)),
      // A store failing fails every classifier process alike: the first one's failure says why.
      failing: classifiers.find((c) => c.classifier?.failing)?.classifier?.failing ?? null,
    },
    keywords: first?.keywords ?? null,
    rejectsStored: of('analytics')[0]?.rejectsStored ?? null,
    processes,
    // The figures above leave these out: say so rather than show their counts as nothing.
    unanswered: answers.flatMap((a) => (a.s ? [] : [{ id: a.p.id, reason: a.why ?? 'no answer' }])),
  };
}

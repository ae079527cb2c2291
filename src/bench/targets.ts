// Issue #18's targets ("Done when"), each beside what the bench measured: a row that measures a criterion carries
// its figure (a Goal), and BENCHMARKS.md lists every criterion with its figures and whether they meet it. The
// verdict is computed from the figures of the run, never written by hand.

export interface Target {
  readonly id: TargetId;
  readonly criterion: string;
  /** The target as the issue words it. */
  readonly target: string;
  readonly unit: string;
  /** Whether one figure meets the target. */
  readonly meets: (value: number) => boolean;
}

export type TargetId = 'ingest-10' | 'ingest-1000' | 'peak-rss' | 'rss-growth' | 'distributed' | 'event-page' | 'word-count' | 'handover';

export const TARGETS: readonly Target[] = [
  { id: 'ingest-10', criterion: 'Embedded ingest, 10 events', target: '≥ 30,000 posts/s', unit: 'posts/s', meets: (v) => v >= 30_000 },
  { id: 'ingest-1000', criterion: 'Embedded ingest, 1,000 events', target: '≥ 20,000 posts/s', unit: 'posts/s', meets: (v) => v >= 20_000 },
  { id: 'peak-rss', criterion: 'Embedded ingest, peak RSS', target: '< 1 GB', unit: 'MB', meets: (v) => v < 1024 },
  { id: 'rss-growth', criterion: 'Peak RSS, 2,000,000 posts against 200,000', target: 'within 20%', unit: '%', meets: (v) => Math.abs(v) <= 20 },
  {
    id: 'distributed',
    criterion: 'Distributed ingest (tracker → Kafka → classifier → Cassandra)',
    target: '≥ 10,000 posts/s',
    unit: 'posts/s',
    meets: (v) => v >= 10_000,
  },
  { id: 'event-page', criterion: 'Event-page queries, 10 M posts', target: 'p95 < 200 ms', unit: 'ms', meets: (v) => v < 200 },
  { id: 'word-count', criterion: 'Word count, 10 M posts', target: '< 5 s', unit: 's', meets: (v) => v < 5 },
  { id: 'handover', criterion: 'Handover during keyword changes', target: '0 lost, 0 duplicated', unit: 'posts', meets: (v) => v === 0 },
];

/** One figure of a bench row against a target: `label` says which figure (e.g. "10 events", "top hashtags"). */
export interface Goal {
  readonly id: TargetId;
  readonly label: string;
  readonly value: number;
  readonly met: boolean;
}

export function goal(id: TargetId, label: string, value: number): Goal {
  const target = TARGETS.find((t) => t.id === id);
  if (!target) throw new Error(`no bench target ${id}`);
  return { id, label, value, met: target.meets(value) };
}

const fmt = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 0 });

/**
 * The targets as a Markdown table: each criterion, its figures (label, value) and whether they meet it (all: yes,
 * some: partly). A criterion no row of this table measured says so (its rows were kept from a run before figures
 * carried goals).
 */
export function targetsTable(goals: readonly Goal[]): string {
  const lines = ['| Criterion | Target | Measured | Met |', '| --- | --- | --- | --- |'];
  for (const t of TARGETS) {
    const mine = goals.filter((g) => g.id === t.id);
    const measured = mine.map((g) => `${g.label} ${fmt(g.value)}${t.unit === '%' ? '' : ' '}${t.unit}${g.met ? '' : ' (not met)'}`).join('; ');
    const met = mine.length === 0 ? 'not measured in these rows' : mine.every((g) => g.met) ? 'yes' : mine.some((g) => g.met) ? 'partly' : 'no';
    lines.push(`| ${t.criterion} | ${t.target} | ${measured || '—'} | ${met} |`);
  }
  return lines.join('\n');
}

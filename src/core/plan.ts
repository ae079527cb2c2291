// What must run, decided from the event state: the tracker connections (the union of active keywords, split when a
// source limits how many one connection may track) and the number of classifier replicas (from consumer lag).
// Pure: the controller feeds it and hands the result to an orchestrator.

import { createHash } from 'node:crypto';
import type { VigilEvent } from './event.js';

export type SourceKind = 'replay' | 'twitter-v1' | 'x-v2' | 'jetstream' | 'mastodon';

/**
 * Phrases one connection may track; null: one connection whatever the keywords (the source is not filtered by them,
 * or, for X v2, they live on X as stream rules changed without reconnecting).
 */
export const SOURCE_TRACK_LIMIT: Record<SourceKind, number | null> = {
  replay: null,
  'twitter-v1': 400,
  'x-v2': null,
  jetstream: null,
  mastodon: null,
};

export interface TrackerConnection {
  /** Stable name of the connection's slot: tracker-0, tracker-1, … */
  id: string;
  source: SourceKind;
  keywords: string[];
  /** Changes whenever what the connection must do changes: a new hash means a make-before-break replacement. */
  hash: string;
}

export interface RunPlan {
  trackers: TrackerConnection[];
}

/** The active keywords of every event, lower-cased, de-duplicated and sorted (the `track` parameter's union). */
export function keywordUnion(events: readonly Pick<VigilEvent, 'keywords' | 'active'>[]): string[] {
  return [...new Set(events.filter((e) => e.active).flatMap((e) => e.keywords.map((k) => k.toLowerCase())))].sort();
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * The tracker connections for `source`. A keyword-filtered source gets ⌈phrases / limit⌉ connections (none when no
 * event is active); a source Vigil filters itself gets exactly one, whose keywords are informative.
 */
export function planTrackers(events: readonly Pick<VigilEvent, 'keywords' | 'active'>[], source: SourceKind): TrackerConnection[] {
  const keywords = keywordUnion(events);
  const limit = SOURCE_TRACK_LIMIT[source];
  const chunks: string[][] = [];
  if (limit === null) chunks.push(keywords);
  else for (let i = 0; i < keywords.length; i += limit) chunks.push(keywords.slice(i, i + limit));
  return chunks.map((k, i) => ({ id: `tracker-${i}`, source, keywords: k, hash: hashOf({ source, keywords: k }) }));
}

export interface ScalingPolicy {
  min: number;
  max: number;
  /** Lag one replica is expected to keep up with; more lag than replicas × this asks for more replicas. */
  lagPerReplica: number;
}

/**
 * Classifier replicas for the observed lag: ⌈lag / lagPerReplica⌉ within [min, max]. Scaling down goes one replica
 * at a time and only once the lag fits in one replica fewer with half of it to spare, so replicas do not flap.
 */
export function desiredClassifiers(current: number, lag: number, p: ScalingPolicy): number {
  const clamp = (n: number): number => Math.max(p.min, Math.min(p.max, n));
  const wanted = clamp(Math.ceil(Math.max(0, lag) / p.lagPerReplica));
  if (wanted > current) return wanted;
  if (current > p.min && lag <= (current - 1) * p.lagPerReplica * 0.5) return clamp(current - 1);
  return clamp(current);
}

/** What changed between two plans, by connection slot. */
export function diffTrackers(before: readonly TrackerConnection[], after: readonly TrackerConnection[]): { start: TrackerConnection[]; replace: TrackerConnection[]; stop: TrackerConnection[] } {
  const old = new Map(before.map((c) => [c.id, c]));
  const next = new Map(after.map((c) => [c.id, c]));
  return {
    start: after.filter((c) => !old.has(c.id)),
    replace: after.filter((c) => old.has(c.id) && old.get(c.id)!.hash !== c.hash),
    stop: before.filter((c) => !next.has(c.id)),
  };
}

// What must run, decided from the event state: the tracker connections (the union of active keywords, split when a
// source limits how many one connection may track) and the number of classifier replicas (from consumer lag).
// Pure: the controller feeds it and hands the result to an orchestrator.

import { createHash } from 'node:crypto';
import { type Box, normalizeAccount, targetsOf, type VigilEvent } from './event.js';

/** How a source takes the events' targets (each source's plugin declares its own). */
export interface SourceShape {
  /** The source's name (tags the connections it plans). */
  name: string;
  /**
   * Most keywords (`track`), account ids (`follow`) and boxes (`locations`) one connection may ask for; the targets
   * are split over as many connections as that needs. Null: one connection whatever the targets (the source is not
   * filtered by them, or keeps them itself, as X's stream rules).
   */
  split: { track: number; follow: number; locations: number } | null;
  /** Accounts one connection can be limited to when the active events name nothing else (Jetstream's DIDs). */
  onlyAccounts?: (account: string) => boolean;
}

export interface TrackerConnection {
  /** Stable name of the connection's slot: tracker-0, tracker-1, … */
  id: string;
  /** The source's name. */
  source: string;
  keywords: string[];
  /**
   * Accounts the source is asked for: user ids for Twitter v1.1 `follow`; DIDs for Jetstream `wantedDids` (only when
   * every active event names DIDs alone, since the filter hides every other account's posts).
   */
  follow?: string[];
  /** Boxes for Twitter v1.1 `locations`. */
  locations?: Box[];
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

type Targeted = Pick<VigilEvent, 'keywords' | 'active' | 'accounts' | 'boxes'>;

/** Accounts of the active events, normalized, de-duplicated and sorted. */
export function accountUnion(events: readonly Targeted[]): string[] {
  return [...new Set(events.filter((e) => e.active).flatMap((e) => targetsOf(e).accounts.map(normalizeAccount)))].sort();
}

export function boxUnion(events: readonly Targeted[]): Box[] {
  const seen = new Map<string, Box>();
  for (const e of events.filter((x) => x.active)) for (const b of targetsOf(e).boxes) seen.set(b.join(','), b);
  return [...seen.values()].sort((a, b) => a.join(',').localeCompare(b.join(',')));
}

function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** What of the events' targets a filtered stream (Twitter v1.1) can be asked for: handles as `track` phrases (they match mentions), numeric ids as `follow`. */
function v1Targets(events: readonly Targeted[]): { track: string[]; follow: string[]; locations: Box[] } {
  const accounts = accountUnion(events);
  const follow = accounts.filter((a) => /^\d{1,20}$/u.test(a));
  const handles = accounts.filter((a) => /^[a-z0-9_]{1,15}$/u.test(a) && !follow.includes(a));
  return { track: [...new Set([...keywordUnion(events), ...handles])].sort(), follow, locations: boxUnion(events) };
}

/** The accounts a connection is limited to, only when the active events name nothing but such accounts (else all). */
function onlyAccounts(events: readonly Targeted[], accepts: (account: string) => boolean): string[] {
  const active = events.filter((e) => e.active);
  const accounts = accountUnion(active);
  const only = active.length > 0 && active.every((e) => e.keywords.length === 0 && targetsOf(e).boxes.length === 0) && accounts.every(accepts);
  return only ? accounts : [];
}

/**
 * The tracker connections for a source. A source with limits gets as many connections as they need (none when no
 * event is active); any other source gets exactly one, whose keywords are informative (Vigil filters itself, or the
 * platform keeps the rules).
 */
export function planTrackers(events: readonly Targeted[], shape: SourceShape): TrackerConnection[] {
  const source = shape.name;
  if (shape.split) {
    const t = v1Targets(events);
    const k = chunk(t.track, shape.split.track);
    const f = chunk(t.follow, shape.split.follow);
    const l = chunk(t.locations, shape.split.locations);
    return Array.from({ length: Math.max(k.length, f.length, l.length) }, (_, i) => {
      const c = { keywords: k[i] ?? [], follow: f[i] ?? [], locations: l[i] ?? [] };
      return { id: `tracker-${i}`, source, ...c, hash: hashOf({ source, ...c }) };
    });
  }
  const keywords = keywordUnion(events);
  const follow = shape.onlyAccounts ? onlyAccounts(events, shape.onlyAccounts) : [];
  return [{ id: 'tracker-0', source, keywords, follow, hash: hashOf(follow.length > 0 ? { source, keywords, follow } : { source, keywords }) }];
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
export function diffTrackers(
  before: readonly TrackerConnection[],
  after: readonly TrackerConnection[],
): { start: TrackerConnection[]; replace: TrackerConnection[]; stop: TrackerConnection[] } {
  const old = new Map(before.map((c) => [c.id, c]));
  const next = new Map(after.map((c) => [c.id, c]));
  return {
    start: after.filter((c) => !old.has(c.id)),
    replace: after.filter((c) => {
      const was = old.get(c.id);
      return was !== undefined && was.hash !== c.hash;
    }),
    stop: before.filter((c) => !next.has(c.id)),
  };
}

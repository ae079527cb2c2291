import { describe, expect, it } from 'vitest';
import { TWITTER_V1_SHAPE } from '../../src/adapters/twitter/plugin.js';
import { desiredClassifiers, diffTrackers, keywordUnion, planTrackers } from '../../src/core/plan.js';

const ev = (keywords: string[], active = true) => ({ keywords, active });

describe('tracker plan', () => {
  it('tracks the lower-cased union of the active events only', () => {
    expect(keywordUnion([ev(['Sandy', 'flooding']), ev(['sandy', 'evacuate']), ev(['paused'], false)])).toEqual(['evacuate', 'flooding', 'sandy']);
  });

  it('splits a keyword-filtered source into connections of at most its limit (400 for Twitter v1.1)', () => {
    const many = Array.from({ length: 950 }, (_, i) => `kw${String(i).padStart(4, '0')}`);
    const plan = planTrackers([ev(many.slice(0, 500)), ev(many.slice(500))], TWITTER_V1_SHAPE);
    expect(plan.map((c) => c.keywords.length)).toEqual([400, 400, 150]);
    expect(plan.map((c) => c.id)).toEqual(['tracker-0', 'tracker-1', 'tracker-2']);
    expect(new Set(plan.flatMap((c) => c.keywords)).size).toBe(950);
  });

  it('runs no connection of a keyword-filtered source when no event is active, and one for a replay', () => {
    expect(planTrackers([ev(['x'], false)], TWITTER_V1_SHAPE)).toEqual([]);
    expect(planTrackers([], { name: 'replay', split: null })).toHaveLength(1);
  });

  it('changes a connection hash exactly when its keywords change', () => {
    const a = planTrackers([ev(['sandy'])], TWITTER_V1_SHAPE);
    expect(planTrackers([ev(['SANDY'])], TWITTER_V1_SHAPE)[0].hash).toBe(a[0].hash);
    const b = planTrackers([ev(['sandy', 'flood'])], TWITTER_V1_SHAPE);
    expect(b[0].hash).not.toBe(a[0].hash);
    expect(diffTrackers(a, b)).toEqual({ start: [], replace: b, stop: [] });
    expect(diffTrackers(b, [])).toEqual({ start: [], replace: [], stop: b });
    expect(diffTrackers([], b)).toEqual({ start: b, replace: [], stop: [] });
  });
});

describe('classifier scaling from lag', () => {
  const p = { min: 1, max: 4, lagPerReplica: 1000 };
  it('scales up to cover the lag, within the bounds', () => {
    expect(desiredClassifiers(1, 2500, p)).toBe(3);
    expect(desiredClassifiers(1, 1_000_000, p)).toBe(4);
    expect(desiredClassifiers(2, 0, { ...p, min: 2 })).toBe(2);
  });
  it('scales down one replica at a time, only when the lag clearly fits in fewer', () => {
    expect(desiredClassifiers(4, 0, p)).toBe(3);
    expect(desiredClassifiers(3, 900, p)).toBe(2);
    expect(desiredClassifiers(3, 1500, p)).toBe(3);
    expect(desiredClassifiers(1, 0, p)).toBe(1);
  });
});

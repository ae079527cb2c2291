// The real payloads of test/fixtures/real/ (provenance in its SOURCES.md) with the rows written for them by hand, as
// the lines Vigil's sources publish, and as the rows classification makes of them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { classifyLine } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import type { TweetRow } from '../../src/core/row.js';

export const REAL_ROOT = new URL('../fixtures/real/', import.meta.url).pathname;

export interface Expected {
  payload: string;
  kind: 'post' | 'notice' | 'reject';
  row?: Record<string, unknown>;
  matches?: Record<string, boolean>;
  notice?: string;
  deletes?: string;
}

/** The line Vigil's sources publish for a payload file: NDJSON as captured, a document on one line, an SSE event as the Mastodon source frames it. */
export function lineOf(file: string): string {
  const text = readFileSync(join(REAL_ROOT, file), 'utf8');
  if (file.endsWith('.sse')) {
    const event = /^event: ?(.*)$/mu.exec(text)?.[1] ?? 'message';
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.replace(/^data: ?/u, ''))
      .join('\n');
    return JSON.stringify({ event, payload: data });
  }
  if (file.endsWith('.jsonl')) return text.replace(/\r?\n$/u, '');
  return JSON.stringify(JSON.parse(text));
}

export function realCases(): { name: string; expected: Expected }[] {
  return readdirSync(join(REAL_ROOT, 'expected'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/u, ''), expected: JSON.parse(readFileSync(join(REAL_ROOT, 'expected', f), 'utf8')) as Expected }));
}

/** The rows of every real post for one event (each post matched by the keywords its expectation says it matches). */
export function realPostRows(event: string, collectedAt = '2026-01-01T00:00:00.000Z'): TweetRow[] {
  return realCases()
    .filter((c) => c.expected.kind === 'post')
    .flatMap(({ expected }) => {
      const keywords = Object.entries(expected.matches ?? {})
        .filter(([, m]) => m)
        .map(([k]) => k);
      const matcher = new Matcher([{ name: event, keywords, active: true, accounts: [], boxes: [], languages: [] }]);
      const o = classifyLine(lineOf(expected.payload), matcher, collectedAt);
      return o.kind === 'post' ? o.rows : [];
    });
}

export type RealCase = ReturnType<typeof realCases>[number];

/** Every keyword some real post is expected to match: an event of these takes every post. */
export function realKeywords(posts: RealCase[]): string[] {
  return [...new Set(posts.flatMap((c) => Object.entries(c.expected.matches ?? {}).flatMap(([k, m]) => (m ? [k] : []))))];
}

/** GeoJSON kept as JSON text: compared as what it says, key order aside. */
const GEOJSON = new Set(['t_coordinates', 't_geo']);
const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** The x-v2 duplicate-hashtag difference kept by design (see test/unit/real-payloads.test.ts). */
const BY_DESIGN = new Set(['x-v2/page-geo-coordinates:hashtags']);

/** Every column of every real post, as written by hand, in `rows` (as stored, or as printed by vigil classify). */
export function expectRealRows(rows: Record<string, unknown>[], posts: RealCase[]): void {
  const byId = new Map(rows.map((row) => [`${String(row.platform)}:${String(row.t_id)}`, row]));
  const keyOf = (want: Record<string, unknown>): string => `${String(want.platform)}:${String(want.t_id)}`;
  const times = new Map<string, number>();
  for (const c of posts) times.set(keyOf(c.expected.row ?? {}), (times.get(keyOf(c.expected.row ?? {})) ?? 0) + 1);
  for (const { name, expected } of posts) {
    const want = expected.row ?? {};
    const row = byId.get(keyOf(want));
    expect(row, `${name} is there`).toBeDefined();
    // A post met in two lines (an edit streamed as status.update) is one row, of either line: writes are idempotent.
    if ((times.get(keyOf(want)) ?? 0) > 1) {
      expect(posts.filter((c) => keyOf(c.expected.row ?? {}) === keyOf(want)).map((c) => c.expected.row?.t_text)).toContain(row?.t_text);
      continue;
    }
    for (const [column, value] of Object.entries(want)) {
      if (column === 'event_kw' || column === 'raw' || BY_DESIGN.has(`${name}:${column}`)) continue;
      const got = GEOJSON.has(column) ? parsed(row?.[column]) : row?.[column];
      expect(got, `${name}:${column}`).toEqual(GEOJSON.has(column) ? parsed(value) : value);
    }
  }
}

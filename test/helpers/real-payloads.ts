// The real payloads of test/fixtures/real/ (provenance in its SOURCES.md) with the rows written for them by hand, as
// the lines Vigil's sources publish, and as the rows classification makes of them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

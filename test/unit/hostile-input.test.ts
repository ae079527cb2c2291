// Property-based tests over the normalizer and the matcher with random and mutated posts: no crash, no hang, and
// every line is either a post (stored when it matches), a recognised notice, or a reject with a reason.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateStream } from '../../src/bench/generate.js';
import { AhoCorasick } from '../../src/core/aho-corasick.js';
import { classifyLine } from '../../src/core/classify.js';
import { ValidationError } from '../../src/core/errors.js';
import { validateEventInput } from '../../src/core/event.js';
import { Matcher } from '../../src/core/matcher.js';
import { line, tweet } from '../helpers/tweets.js';

const NOW = '2026-01-01T00:00:00.000Z';
const matcher = new Matcher([
  { name: 'A', keywords: ['sandy', 'flood', '#sandy', '@fema', 'fema.gov', '地震', 'new york city'], active: true },
  { name: 'B', keywords: ['a', 'é', '🌊'], active: true },
]);
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').trim();
const samples = [...generateStream(50, { seed: 3 }), ...['x-v2-stream.json', 'twarc2-page.json', 'jetstream-post.json', 'mastodon-status.json'].map(fixture)];

function outcomeIsValid(l: string): void {
  const o = classifyLine(l, matcher, NOW);
  expect(['post', 'other', 'reject', 'blank']).toContain(o.kind);
  if (o.kind === 'reject') expect(o.reason.length).toBeGreaterThan(0);
  if (o.kind === 'post') for (const r of o.rows) expect(typeof r.t_id).toBe('string');
}

/** Replaces a random part of a JSON value with a random value: wrong types, nulls, huge strings. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [k, v] = entries[path[0] % entries.length];
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  copy[k] = mutate(v, path.slice(1), replacement);
  return copy;
}

describe('hostile input: normalizer and classifier', () => {
  it('any string at all is a post, a notice, a blank or a reject with a reason — never a crash', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), outcomeIsValid), { numRuns: 3000 });
  });

  it('any JSON value is handled', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => outcomeIsValid(JSON.stringify(v))),
      { numRuns: 2000 },
    );
  });

  it('real-looking posts with any field replaced by any value are handled', () => {
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant(null),
      fc.string({ unit: 'grapheme', maxLength: 20_000 }),
      fc.integer(),
      fc.constant([]),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.array(fc.nat(50), { minLength: 1, maxLength: 5 }), replacement, (i, path, rep) => {
        outcomeIsValid(JSON.stringify(mutate(JSON.parse(samples[i]), path, rep)));
      }),
      { numRuns: 3000 },
    );
  }, 30_000); // many inputs (or one huge one): seconds on a loaded machine, beyond the default 5 s

  it('truncating or corrupting a real post at any byte gives a post or a reject, never a crash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.nat(), fc.string({ maxLength: 3 }), (i, cut, junk) => {
        const s = samples[i];
        const at = cut % s.length;
        outcomeIsValid(s.slice(0, at));
        outcomeIsValid(s.slice(0, at) + junk + s.slice(at + 1));
      }),
      { numRuns: 3000 },
    );
  }, 30_000); // many inputs (or one huge one): seconds on a loaded machine, beyond the default 5 s

  it('a huge post (5 MB of text, 10,000 hashtags) is classified in bounded time', () => {
    const big = line(tweet({ id: '1', text: `${'word '.repeat(1_000_000)}sandy`, hashtags: Array.from({ length: 10_000 }, (_, i) => `tag${i}`) }));
    const t0 = performance.now();
    const o = classifyLine(big, matcher, NOW);
    expect(o.kind === 'post' && o.rows.map((r) => r.event_name)).toEqual(['A']);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 30_000); // many inputs (or one huge one): seconds on a loaded machine, beyond the default 5 s
});

describe('hostile input: matcher and events', () => {
  it('matches exactly what a naive reference says for random keywords and texts', () => {
    const word = fc.constantFrom('sandy', 'flood', 'Flood.', '#Sandy', '@fema', 'new', 'york', 'city', 'x', 'floods', '地震', 'é');
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        fc.array(word, { maxLength: 12 }),
        (phrases, words) => {
          const keywords = [...new Set(phrases.map((p) => p.join(' ')))];
          const m = new Matcher([{ name: 'E', keywords, active: true }]);
          const text = words.join(' ');
          const got = m.match({ texts: [text], hashtags: [], mentions: [], urls: [] });
          const norm = (t: string) =>
            t
              .normalize('NFKC')
              .toLowerCase()
              .replace(/^[^\p{L}\p{N}#@]+|[^\p{L}\p{N}]+$/gu, '');
          const tokens = new Set(
            words.flatMap((w) => {
              const n = norm(w);
              const bare = n.replace(/^[#@]/u, '');
              return [n, bare];
            }),
          );
          const hasTerm = (t: string) => (/地震/u.test(t) ? text.includes(t) : tokens.has(norm(t)));
          const expected = keywords.filter((k) => k.split(' ').every(hasTerm));
          expect(got.length === 1 ? got[0].keywords : []).toEqual(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('Aho–Corasick finds the same patterns as a naive search', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', '地', '震') }), { maxLength: 8 }),
        fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'b', '地', '震', 'c') }),
        (patterns, text) => {
          const found = new Set<number>();
          new AhoCorasick(patterns).scan(text, (id) => found.add(id));
          expect([...found].sort((x, y) => x - y)).toEqual(
            patterns
              .map((p, i) => [p, i] as const)
              .filter(([p]) => text.includes(p))
              .map(([, i]) => i),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('event validation accepts or names the bad field for any input, never crashes', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        try {
          validateEventInput(body);
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
          expect((err as ValidationError).errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

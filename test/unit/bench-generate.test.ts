import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchmarkEvents, generateStream, twitterJson } from '../../src/bench/generate.js';
import { recognizeTwitterV1 } from '../../src/core/twitter-v1.js';

describe('benchmark stream generator', () => {
  const lines = [...generateStream(3000)];

  it('is deterministic for a seed', () => {
    expect([...generateStream(50)]).toEqual(lines.slice(0, 50));
    expect([...generateStream(50, { seed: 7 })]).not.toEqual(lines.slice(0, 50));
  });

  it('produces about 3 KB per post and about 30% retweets', () => {
    const avg = lines.reduce((n, l) => n + Buffer.byteLength(l), 0) / lines.length;
    const rts = lines.filter((l) => l.includes('"retweeted_status"')).length / lines.length;
    expect(avg).toBeGreaterThan(2500);
    expect(avg).toBeLessThan(4000);
    expect(rts).toBeGreaterThan(0.25);
    expect(rts).toBeLessThan(0.35);
  });

  it('produces posts the Twitter v1.1 normalizer accepts, with unique ids', () => {
    const ids = new Set<string>();
    for (const l of lines) {
      const r = recognizeTwitterV1(JSON.parse(l), l);
      expect(r.kind).toBe('post');
      if (r.kind === 'post') ids.add(r.post.row.t_id);
    }
    expect(ids.size).toBe(lines.length);
  });

  it('writes its lines in the bytes of the real stream: ASCII, with "/", "<", ">" and every non-ASCII unit escaped', () => {
    for (const l of lines.slice(0, 500)) expect(l).toMatch(/^[\x20-\x7e]+$/);
    expect(lines.some((l) => l.includes('\\u2026') && l.includes('\\u003ca href=\\"http:\\/\\/'))).toBe(true);
    const value = { text: 'Flooding 🌊 in Hoboken — évacuez </a>', n: 1.5, list: ['/', '<b>'] };
    expect(twitterJson(value)).toBe(
      '{"text":"Flooding \\ud83c\\udf0a in Hoboken \\u2014 \\u00e9vacuez \\u003c\\/a\\u003e","n":1.5,"list":["\\/","\\u003cb\\u003e"]}',
    );
    expect(JSON.parse(twitterJson(value))).toEqual(value);
  });

  it.each(['ja-media', 'ru-coordinates-media', 'html-lt-emoji', 'html-amp-coordinates', 'notice-limit-2015'])(
    're-encodes the statuses/filter capture %s byte for byte (ids past 2^53 aside, which JSON.parse rounds)',
    (name) => {
      const line = readFileSync(`test/fixtures/real/twitter-v1/${name}.json`, 'utf8').replace(/\r?\n$/, '');
      const bigIds = (s: string) => s.replace(/\d{16,}/g, 'N');
      expect(bigIds(twitterJson(JSON.parse(line)))).toBe(bigIds(line));
    },
  );

  it('makes events of the requested size, valid for the event rules', () => {
    const events = benchmarkEvents(1000);
    expect(new Set(events.map((e) => e.name)).size).toBe(1000);
    for (const e of events) expect(e.keywords).toHaveLength(5);
  });
});

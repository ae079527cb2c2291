import { describe, expect, it } from 'vitest';
import { classifyLine, rawPostKey } from '../../src/core/classify.js';
import { MAX_LINE_BYTES } from '../../src/core/line-limits.js';
import { Matcher } from '../../src/core/matcher.js';
import { TWEET_COLUMNS } from '../../src/core/row.js';
import { recognizeTwitterV1, twitterDate } from '../../src/core/twitter-v1.js';
import { line, tweet } from '../helpers/tweets.js';

const sandy = new Matcher([{ name: 'Sandy', keywords: ['sandy', 'flooding', 'evacuate', 'new york city'], active: true }]);
const NOW = '2026-01-01T00:00:00.000Z';

function rows(t: unknown, m = sandy) {
  const o = classifyLine(line(t), m, NOW);
  if (o.kind !== 'post') throw new Error(`expected a post, got ${JSON.stringify(o)}`);
  return o.rows;
}

describe('Twitter v1.1 normalizer', () => {
  it('fills every column of the thesis table, plus platform and raw', () => {
    const t = tweet({
      id: '262000000000000001',
      text: 'Sandy is coming #sandy @fema',
      screenName: 'nycwx',
      hashtags: ['sandy'],
      mentions: ['fema'],
      urls: [{ expanded: 'https://www.fema.gov/x' }],
      coordinates: [-74, 40.7],
      media: ['https://pbs.twimg.com/a.jpg'],
    });
    const [r] = rows(t);
    for (const c of TWEET_COLUMNS) expect(r, c.name).toHaveProperty(c.name);
    expect(r).toMatchObject({
      t_id: '262000000000000001',
      event_name: 'Sandy',
      event_kw: ['sandy'],
      hashtags: ['sandy'],
      media_url: ['https://pbs.twimg.com/a.jpg'],
      t_coordinates: '{"type":"Point","coordinates":[-74,40.7]}',
      t_created_at: '2012-10-29T12:00:00.000Z',
      t_favorite_count: 7,
      t_favorited: false,
      t_is_a_retweet: false,
      t_lang: 'en',
      t_retweet_count: 3,
      t_retweeted: false,
      t_text: 'Sandy is coming #sandy @fema',
      u_created_at: '2009-01-05T10:00:00.000Z',
      u_followers_count: 120,
      u_id: '42',
      u_screen_name: 'nycwx',
      u_utc_offset: -18000,
      um_id: ['1000'],
      um_name: ['fema name'],
      um_screen_name: ['fema'],
      urls: ['https://www.fema.gov/x'],
      platform: 'twitter',
      collected_at: NOW,
    });
    expect(JSON.parse(r.raw)).toEqual(t);
  });

  it('event_kw holds only the keywords that actually matched', () => {
    const [r] = rows(tweet({ id: '1', text: 'Evacuate: flooding everywhere' }));
    expect(r.event_kw).toEqual(['flooding', 'evacuate']);
  });

  it('uses the full text of an extended (280-character) tweet', () => {
    const full = `${'x '.repeat(70)}and then the flooding started downtown`;
    const [r] = rows(tweet({ id: '2', text: '', extendedText: full }));
    expect(r.t_text).toBe(full);
  });

  it('matches a retweet on the retweeted post full text and entities, and marks it', () => {
    const original = tweet({ id: '10', text: '', extendedText: `${'long '.repeat(30)}sandy`, screenName: 'origin', hashtags: ['flooding'] });
    const rt = tweet({ id: '11', text: 'RT @origin: long long long…', retweetOf: original });
    const [r] = rows(rt);
    expect(r.t_is_a_retweet).toBe(true);
    expect(r.t_text.startsWith('RT @origin: long')).toBe(true);
    expect(r.t_text.endsWith('sandy')).toBe(true);
    expect(r.event_kw).toEqual(['sandy', 'flooding']);
    expect(r.hashtags).toEqual(['flooding']);
  });

  it('matches a quote on the quoted post text', () => {
    const quoted = tweet({ id: '20', text: 'New York City is under water' });
    const q = tweet({ id: '21', text: 'wow look at this', quoteOf: quoted });
    const [r] = rows(q);
    expect(r.event_kw).toEqual(['new york city']);
    expect(r.t_text).toBe('wow look at this');
  });

  it('gives one row per matching event, with a stable id per (event, post)', () => {
    const m = new Matcher([
      { name: 'A', keywords: ['sandy'], active: true },
      { name: 'B', keywords: ['flooding'], active: true },
    ]);
    const out = rows(tweet({ id: '30', text: 'sandy flooding' }), m);
    expect(out.map((r) => r.event_name)).toEqual(['A', 'B']);
    expect(out[0].id).not.toBe(out[1].id);
    expect(rows(tweet({ id: '30', text: 'sandy flooding' }), m)[0].id).toBe(out[0].id);
    expect(out[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a post that matches no event is a post with no rows', () => {
    expect(classifyLine(line(tweet({ id: '40', text: 'sunny day' })), sandy, NOW)).toEqual({ kind: 'post', postId: '40', posts: 1, rows: [] });
  });

  it('keeps id_str exactly, even past 2^53', () => {
    const t = tweet({ id: '1234567890123456789', text: 'sandy' });
    const raw = line(t).replace('"id":1234567890123456800', '"id":1234567890123456789');
    const o = classifyLine(raw, sandy, NOW);
    expect(o.kind === 'post' && o.rows[0].t_id).toBe('1234567890123456789');
  });

  it.each([
    ['delete', { delete: { status: { id: 1, id_str: '1', user_id: 2, user_id_str: '2' } } }],
    ['limit', { limit: { track: 1234, timestamp_ms: '1' } }],
    ['disconnect', { disconnect: { code: 4, stream_name: 'x', reason: 'y' } }],
    ['warning', { warning: { code: 'FALLING_BEHIND', message: 'm', percent_full: 60 } }],
    ['scrub_geo', { scrub_geo: { user_id: 1, up_to_status_id: 2 } }],
    ['status_withheld', { status_withheld: { id: 1, user_id: 2, withheld_in_countries: ['DE'] } }],
  ])('recognises a %s notice as "other", not an error', (type, msg) => {
    expect(classifyLine(JSON.stringify(msg), sandy, NOW)).toMatchObject({ kind: 'other', type });
  });

  it('rejects invalid JSON with the reason', () => {
    const o = classifyLine('{"id_str": "1", "text": ', sandy, NOW);
    expect(o.kind).toBe('reject');
    expect(o.kind === 'reject' && o.reason).toMatch(/^invalid JSON/);
  });

  it('says what to do with a JSON array where a line should hold one object, parsed or cut short', () => {
    const todo = "Vigil reads one JSON object per line: turn a JSON array into lines first (jq -c '.[]' FILE > FILE.jsonl)";
    expect(classifyLine('[{"id_str": "1"}, {"id_str": "2"}]', sandy, NOW)).toEqual({
      kind: 'reject',
      reason: `not a post: expected a JSON object, got an array; ${todo}`,
    });
    const cutArray = classifyLine('  [{"id_str": "1"}, {"id_s', sandy, NOW);
    expect(cutArray.kind === 'reject' && cutArray.reason).toMatch(
      /^invalid JSON .*; Vigil reads one JSON object per line: turn a JSON array into lines first/u,
    );
    expect(classifyLine('"a string"', sandy, NOW)).toEqual({ kind: 'reject', reason: 'not a post: expected a JSON object, got string' });
  });

  it('says that a line at the longest Vigil reads was cut there, whatever characters it holds', () => {
    for (const unit of ['a', 'é', '🌊']) {
      const body = unit.repeat(Math.ceil((MAX_LINE_BYTES - 10) / Buffer.byteLength(unit)));
      const o = classifyLine(`{"text": "${body}`, sandy, NOW);
      expect(o.kind === 'reject' && o.reason).toMatch(/; the line was longer than 8 MiB and was cut there$/u);
    }
    const short = classifyLine('{"text": "sandy', sandy, NOW);
    expect(short.kind === 'reject' && short.reason).not.toMatch(/cut there/u);
  });

  it('rejects JSON that is not a recognisable post, naming what is missing', () => {
    expect(classifyLine('{"id_str": "1", "text": "sandy"}', sandy, NOW)).toEqual({
      kind: 'reject',
      reason: 'not a recognisable Twitter v1.1 post: missing user',
    });
    expect(classifyLine('[1,2]', sandy, NOW)).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/array/) });
    expect(classifyLine('42', sandy, NOW)).toMatchObject({ kind: 'reject' });
  });

  it('treats a blank line as a keep-alive', () => {
    expect(classifyLine('  ', sandy, NOW)).toEqual({ kind: 'blank' });
  });

  it('parses Twitter dates to ISO-8601 UTC', () => {
    expect(twitterDate('Mon Oct 29 23:59:01 +0000 2012')).toBe('2012-10-29T23:59:01.000Z');
    expect(twitterDate('Mon Oct 29 23:59:01 -0500 2012')).toBe('2012-10-30T04:59:01.000Z');
    expect(twitterDate('garbage')).toBeNull();
  });

  it('reads a UTC date as written and any other the way Date does, rolling over as Date does (Feb 31, 24:00)', () => {
    const viaDate = (v: string): string | null => {
      const m = /^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2}) (\d{4})$/u.exec(v);
      const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
      if (!m) return null;
      const t = Date.parse(`${m[6]}-${String(months.indexOf(m[1]) + 1).padStart(2, '0')}-${m[2]}T${m[3]}${m[4]}:${m[5]}`);
      return Number.isNaN(t) ? null : new Date(t).toISOString();
    };
    const cases = [
      'Thu Feb 28 23:59:59 +0000 2013',
      'Thu Feb 29 00:00:00 +0000 2012',
      'Sun Feb 31 10:00:00 +0000 2013',
      'Mon Apr 31 10:00:00 +0000 2013',
      'Mon Dec 31 23:59:59 +0000 2012',
      'Mon Jan 01 24:00:00 +0000 2012',
      'Mon Jan 01 12:60:00 +0000 2012',
      'Mon Jan 01 12:00:60 +0000 2012',
      'Mon Jan 00 12:00:00 +0000 2012',
      'Mon Jan 32 12:00:00 +0000 2012',
      'Mon Jan 10 12:00:00 -0000 2012',
      'Mon Jan 10 12:00:00 +0130 2012',
      'Mon Oct 29 23:59:59 +0000 2012',
      'Wed Oct 31 12:00:00 +0000 2012',
      'Mon Apr 30 10:00:00 +0000 2012',
      'Mon Sep 31 10:00:00 +0000 2012',
      'Fri Feb 29 10:00:00 +0000 2013',
      'Tue Feb 29 10:00:00 +0000 2000',
      'Thu Feb 29 10:00:00 +0000 1900',
      'Sat Feb 29 10:00:00 +0000 2100',
      'Thu Feb 29 10:00:00 +0000 2024',
    ];
    for (let d = 0; d < 400; d++)
      cases.push(
        new Date(Date.UTC(2006, 0, 1) + d * 7_919_999_123).toUTCString().replace(/^(\w{3}), (\d{2}) (\w{3}) (\d{4}) (\S+) GMT$/u, '$1 $3 $2 $5 +0000 $4'),
      );
    for (const c of cases) expect(twitterDate(c), c).toBe(viaDate(c));
    expect(twitterDate('Thu Feb 28 23:59:59 +0000 2013')).toBe('2013-02-28T23:59:59.000Z');
    expect(twitterDate('Sun Feb 31 10:00:00 +0000 2013')).toBe('2013-03-03T10:00:00.000Z');
  });

  it('tolerates missing optional fields', () => {
    const r = recognizeTwitterV1({ id_str: '5', text: 'sandy', user: {} }, '{}');
    expect(r.kind).toBe('post');
  });

  it('finds the post id of a raw line without parsing it, for the bus key', () => {
    expect(rawPostKey(line(tweet({ id: '123', text: 'x', retweetOf: tweet({ id: '456', text: 'y' }) })))).toBe('123');
    expect(rawPostKey('{"delete":{"status":{"id":5,"id_str":"5"}}}')).toBe('5');
    expect(rawPostKey('not json')).toBeNull();
  });
});

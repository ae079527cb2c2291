// X API v2, twarc2, Bluesky Jetstream and Mastodon lines are told apart by shape and normalized into the same row as
// Twitter v1.1, with `platform` set; notices (deletions, likes, other events) are counted, not stored.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../src/core/classify.js';
import { detectFormat } from '../../src/core/formats.js';
import { htmlToText } from '../../src/core/html-text.js';
import { Matcher } from '../../src/core/matcher.js';
import { line, tweet } from '../helpers/tweets.js';

const NOW = '2026-01-01T00:00:00.000Z';
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').trim();
const matcher = new Matcher([
  { name: 'Sandy', keywords: ['sandy', 'flooding', 'fema.gov', '@fema'], active: true },
  { name: 'Milton', keywords: ['#milton', 'storm surge', 'nhc.noaa.gov'], active: true },
]);
const post = (l: string) => {
  const o = classifyLine(l, matcher, NOW);
  if (o.kind !== 'post') throw new Error(`expected a post, got ${JSON.stringify(o)}`);
  return o;
};

describe('format detection', () => {
  it('tells each format by its shape', () => {
    expect(detectFormat(JSON.parse(line(tweet({ id: '1', text: 'x' }))))).toBe('twitter-v1');
    expect(detectFormat(JSON.parse(fixture('x-v2-stream.json')))).toBe('x-v2');
    expect(detectFormat(JSON.parse(fixture('twarc2-page.json')))).toBe('x-v2');
    expect(detectFormat({ id: '5', text: 'flat', author_id: '1', author: { username: 'u' } })).toBe('x-v2');
    expect(detectFormat(JSON.parse(fixture('jetstream-post.json')))).toBe('jetstream');
    expect(detectFormat(JSON.parse(fixture('mastodon-status.json')))).toBe('mastodon');
    expect(detectFormat({ event: 'update', payload: '{}' })).toBe('mastodon');
  });
});

describe('X API v2', () => {
  it('a stream message: author and media from includes, a retweet shows its original in full, platform x', () => {
    const o = post(fixture('x-v2-stream.json'));
    expect(o.rows.map((r) => r.event_name)).toEqual(['Sandy']);
    const r = o.rows[0];
    expect(r).toMatchObject({
      t_id: '1700000000000000001',
      platform: 'x',
      t_text: 'RT @fema: Shelter open at Main St for everyone affected by the storm #Sandy https://t.co/x',
      t_is_a_retweet: true,
      t_created_at: '2012-10-29T20:00:00.000Z',
      t_retweet_count: 7,
      t_favorite_count: 3,
      u_id: '11',
      u_screen_name: 'nyc_resident',
      u_name: 'NYC Resident',
      u_followers_count: 120,
      u_friends_count: 80,
      u_statuses_count: 5000,
      hashtags: ['Sandy'],
      urls: ['https://www.fema.gov/shelters'],
      media_url: ['https://pbs.twimg.com/media/a.jpg'],
    });
    expect([...r.event_kw].sort()).toEqual(['@fema', 'fema.gov', 'sandy']);
  });

  it('a twarc2 page: every tweet of data, the long note_tweet text, coordinates', () => {
    const o = post(fixture('twarc2-page.json'));
    expect(o.posts).toBe(2);
    expect(o.rows).toHaveLength(1);
    expect(o.rows[0]).toMatchObject({ t_id: '9001', u_screen_name: 'driver', t_coordinates: '{"type":"Point","coordinates":[-73.97,40.75]}' });
    expect(o.rows[0].t_text).toMatch(/much longer text/u);
  });

  it('a message without tweets is a reject with the reason', () => {
    const o = classifyLine('{"data":[],"includes":{}}', matcher, NOW);
    expect(o).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/data holds no tweet/u) });
  });

  it('a page of no results (twarc2 writes the ones a search returns) is a notice, with or without an empty data list', () => {
    for (const page of ['{"meta":{"result_count":0}}', '{"data":[],"meta":{"result_count":0,"next_token":"b26v89c19zqg8o3f"}}'])
      expect(classifyLine(page, matcher, NOW), page).toMatchObject({ kind: 'other', type: 'x page without results' });
    // a page whose count is not 0 but holds no tweet is still wrong
    expect(classifyLine('{"data":[],"meta":{"result_count":3}}', matcher, NOW).kind).toBe('reject');
    // a v1.1 REST error list (code and message, no X v2 problem type) is not an X v2 notice
    expect(classifyLine('{"errors":[{"code":88,"message":"Rate limit exceeded"}]}', matcher, NOW).kind).toBe('reject');
  });
});

describe("Bluesky posts as the app view's API gives them (not read)", () => {
  it('a postView, a feed item and a page of them are rejected with a reason that says what to do', () => {
    const view = {
      uri: 'at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l',
      cid: 'bafyreia3tbsfxe3cc75xrxyyn6qc42oupi73fxiox76prlyi5bpx7hr72u',
      author: { did: 'did:plc:z72i7hdynmk6r22z27h6tvur', handle: 'bsky.app' },
      record: { $type: 'app.bsky.feed.post', createdAt: '2024-10-17T18:43:03.963Z', text: 'sandy' },
      indexedAt: '2024-10-17T18:43:04.457Z',
    };
    for (const msg of [view, { post: view }, { posts: [view], cursor: '1' }, { feed: [{ post: view }] }])
      expect(classifyLine(JSON.stringify(msg), matcher, NOW)).toMatchObject({
        kind: 'reject',
        reason: expect.stringMatching(/^a Bluesky post as its app view's API gives it .*Jetstream/u),
      });
  });
});

describe('Bluesky Jetstream', () => {
  it('a post: hashtags, mentions and links from facets, the AT URI as id, the DID as author, platform bluesky', () => {
    const o = post(fixture('jetstream-post.json'));
    expect(o.rows.map((r) => r.event_name)).toEqual(['Milton']);
    expect(o.rows[0]).toMatchObject({
      t_id: 'at://did:plc:eygmaihciaxprqvxpfvl6flk/app.bsky.feed.post/3l3qo2vutsw2b',
      platform: 'bluesky',
      t_text: 'Evacuate now #Milton via @nws.bsky.social https://nhc.noaa.gov',
      t_created_at: '2024-09-09T19:46:02.102Z',
      t_lang: 'en',
      u_id: 'did:plc:eygmaihciaxprqvxpfvl6flk',
      hashtags: ['Milton'],
      urls: ['https://nhc.noaa.gov'],
      um_id: ['did:plc:nws'],
    });
  });

  it('deletions, likes and identity events are notices', () => {
    const base = { did: 'did:plc:a', time_us: 1 };
    expect(
      classifyLine(JSON.stringify({ ...base, kind: 'commit', commit: { operation: 'delete', collection: 'app.bsky.feed.post', rkey: 'k' } }), matcher, NOW),
    ).toMatchObject({ kind: 'other', type: 'delete' });
    expect(
      classifyLine(
        JSON.stringify({ ...base, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.like', rkey: 'k', record: {} } }),
        matcher,
        NOW,
      ),
    ).toMatchObject({ kind: 'other', type: 'app.bsky.feed.like' });
    expect(classifyLine(JSON.stringify({ ...base, kind: 'identity', identity: {} }), matcher, NOW)).toMatchObject({
      kind: 'other',
      type: 'jetstream identity',
    });
    expect(
      classifyLine(JSON.stringify({ ...base, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'k' } }), matcher, NOW),
    ).toMatchObject({ kind: 'reject', reason: expect.stringMatching(/missing record/u) });
  });
});

describe('Mastodon', () => {
  it('a status: HTML content as text with the content warning, tags, mentions, links, platform mastodon', () => {
    const o = post(fixture('mastodon-status.json'));
    expect(o.rows.map((r) => r.event_name)).toEqual(['Milton']);
    expect(o.rows[0]).toMatchObject({
      t_id: 'https://mastodon.social/users/wx/statuses/113000000000000001',
      platform: 'mastodon',
      // the content warning, a blank line, the content; hashtags as written; local handles completed with the instance
      t_text: 'hurricane\n\nStorm surge warning & evacuation for #Milton @nws\n\nDetails: nhc.noaa.gov',
      hashtags: ['Milton'],
      um_screen_name: ['nws@mastodon.social'],
      urls: ['https://www.nhc.noaa.gov/?a=1&b=2'],
      u_screen_name: 'wx@mastodon.social',
      u_description: 'Forecasts & alerts',
      t_retweet_count: 4,
      t_favorite_count: 9,
      media_url: ['https://files.mastodon.social/a.png'],
    });
  });

  it('a streaming update (payload as a JSON string) and a boost; a delete is a notice', () => {
    const status = JSON.parse(fixture('mastodon-status.json')) as Record<string, unknown>;
    expect(post(JSON.stringify({ stream: ['public'], event: 'update', payload: JSON.stringify(status) })).rows).toHaveLength(1);
    const boost = { ...status, id: '2', uri: 'https://x.example/boost/2', content: '', reblog: status, account: { id: '9', acct: 'relay@x.example' } };
    const b = post(JSON.stringify(boost)).rows[0];
    expect(b.t_is_a_retweet).toBe(true);
    expect(b.t_text).toMatch(/^RT @wx@mastodon.social: hurricane\n\nStorm surge/u);
    expect(b.u_screen_name).toBe('relay@x.example');
    expect(classifyLine(JSON.stringify({ event: 'delete', payload: '113000000000000001' }), matcher, NOW)).toMatchObject({ kind: 'other', type: 'delete' });
    expect(classifyLine(JSON.stringify({ event: 'update', payload: '{not json' }), matcher, NOW)).toMatchObject({ kind: 'reject' });
  });

  it('HTML to text decodes entities and keeps paragraphs', () => {
    expect(htmlToText('<p>a &lt;b&gt; &#x1F30A; &#39;c&#39;</p><p>d<br/>e</p>')).toBe("a <b> 🌊 'c'\n\nd\ne");
  });
});

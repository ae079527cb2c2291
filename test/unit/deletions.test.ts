import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyBatch, classifyLine } from '../../src/core/classify.js';
import { deletionKey, deletionOf } from '../../src/core/deletions.js';
import { Matcher } from '../../src/core/matcher.js';

const NOW = '2026-01-01T00:00:00.000Z';

describe('deletion notices', () => {
  it('Twitter v1.1, Jetstream and Mastodon deletions become records; other notices do not', () => {
    const lines = [
      '{"delete":{"status":{"id":1234,"id_str":"1234","user_id":3,"user_id_str":"3"},"timestamp_ms":"1351540800000"}}',
      JSON.stringify({ did: 'did:plc:a', time_us: 1, kind: 'commit', commit: { operation: 'delete', collection: 'app.bsky.feed.post', rkey: 'k1' } }),
      JSON.stringify({ did: 'did:plc:a', time_us: 2, kind: 'commit', commit: { operation: 'delete', collection: 'app.bsky.feed.like', rkey: 'k2' } }),
      JSON.stringify({ stream: ['public'], event: 'delete', payload: '113000000000000001' }),
      '{"limit":{"track":5}}',
    ];
    const o = classifyBatch(
      lines,
      lines.map((_, i) => `f:${i}`),
      new Matcher([]),
      NOW,
    );
    expect(o.deletions).toEqual([
      { platform: 'twitter', t_id: '1234', deleted_at: '2012-10-29T20:00:00.000Z' },
      { platform: 'bluesky', t_id: 'at://did:plc:a/app.bsky.feed.post/k1', deleted_at: NOW },
      { platform: 'mastodon', t_id: '113000000000000001', deleted_at: NOW },
    ]);
    expect(deletionOf('scrub_geo', { user_id: 1 }, NOW)).toBeNull();
    expect(deletionOf('delete', { status: {} }, NOW)).toBeNull();
  });

  it('names a Mastodon boost and a post from another server by the local id a delete event carries (real payloads)', () => {
    const real = (f: string) => readFileSync(new URL(`../fixtures/real/mastodon/${f}`, import.meta.url), 'utf8');
    const classify = (line: string) => {
      const o = classifyLine(line, new Matcher([{ name: 'E', keywords: ['toot', 'nvim'], active: true, accounts: [], boxes: [], languages: [] }]), NOW);
      if (o.kind !== 'post') throw new Error(`not a post: ${o.kind}`);
      return o.rows[0];
    };
    // a boost: its URI ends in /activity
    const boostLine = JSON.stringify(JSON.parse(real('reblog.json')));
    const boost = classify(boostLine);
    expect(boost.t_id).toMatch(/\/activity$/u);
    expect(deletionKey('mastodon', boost.t_id, boost.raw)).toEqual({ platform: 'mastodon', t_id: '117020586027094262' });
    // a post from fosstodon.org streamed by another instance: its URI ends in fosstodon's id, the event in the local one
    const remoteLine = JSON.stringify(JSON.parse(real('docs-ws-update-remote-reply.json')));
    const remote = classify(remoteLine);
    expect(remote.t_id).toBe('https://fosstodon.org/users/tobtobxx/statuses/108913983628474640');
    expect(deletionKey('mastodon', remote.t_id, remote.raw)).toEqual({ platform: 'mastodon', t_id: '108913983692647032' });
    // the delete event names that id
    const del = deletionOf('delete', { platform: 'mastodon', id: '108913983692647032' }, NOW);
    expect(del?.t_id).toBe(deletionKey('mastodon', remote.t_id, remote.raw).t_id);
    // without the payload, the end of the URI (posts of the instance that streamed them)
    expect(deletionKey('mastodon', 'https://m.example/users/a/statuses/42')).toEqual({ platform: 'mastodon', t_id: '42' });
  });
});

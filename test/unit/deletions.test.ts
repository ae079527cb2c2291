import { describe, expect, it } from 'vitest';
import { classifyBatch } from '../../src/core/classify.js';
import { deletionOf } from '../../src/core/deletions.js';
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
});

import { describe, expect, it } from 'vitest';
import { buildNetwork, toEdgeCsv, toGexf } from '../../src/core/networks.js';

const row = (u: string, text: string, o: { rt?: boolean; mentions?: string[]; tags?: string[]; followers?: number } = {}) => ({
  u_screen_name: u,
  t_text: text,
  t_is_a_retweet: o.rt ?? false,
  um_screen_name: o.mentions ?? [],
  hashtags: o.tags ?? [],
  u_followers_count: o.followers ?? null,
});

const rows = [
  row('ana', 'RT @fema: shelters open', { rt: true, mentions: ['fema'], followers: 10 }),
  row('bob', 'RT @fema: shelters open', { rt: true, mentions: ['fema'] }),
  row('ana', 'RT @fema: more', { rt: true, mentions: ['fema'], followers: 12 }),
  row('cy', 'ask @ana and @bob', { mentions: ['ana', 'bob'], tags: ['Sandy', 'NYC'] }),
  row('dee', 'flooding #sandy #nyc #help', { tags: ['sandy', 'nyc', 'help'] }),
];

describe('networks', () => {
  it('retweet: retweeter → original author, weighted; posts and followers on nodes', () => {
    const n = buildNetwork(rows, 'retweet');
    expect(n.directed).toBe(true);
    expect(n.edges).toEqual([
      { source: 'ana', target: 'fema', weight: 2 },
      { source: 'bob', target: 'fema', weight: 1 },
    ]);
    expect(n.nodes.find((x) => x.id === 'ana')).toEqual({ id: 'ana', posts: 2, followers: 12 });
    expect(n.nodes.find((x) => x.id === 'fema')).toEqual({ id: 'fema', posts: 0, followers: null });
  });

  it('mention: author → mentioned, leaving out the retweeted author', () => {
    expect(buildNetwork(rows, 'mention').edges).toEqual([
      { source: 'cy', target: 'ana', weight: 1 },
      { source: 'cy', target: 'bob', weight: 1 },
    ]);
  });

  it('reply: author → the author replied to, weighted; self-replies (threads) left out', () => {
    const replies = [
      { ...row('eve', '@fema is the shelter open?'), t_in_reply_to_screen_name: 'fema' },
      { ...row('eve', '@fema and now?'), t_in_reply_to_screen_name: 'fema' },
      { ...row('fema', 'yes, 1/2'), t_in_reply_to_screen_name: 'fema' },
      { ...row('gus', 'no reply here'), t_in_reply_to_screen_name: null },
    ];
    const n = buildNetwork(replies, 'reply');
    expect(n.edges).toEqual([{ source: 'eve', target: 'fema', weight: 2 }]);
    expect(n.nodes.map((x) => [x.id, x.posts])).toEqual([
      ['eve', 2],
      ['fema', 1],
      ['gus', 1],
    ]);
  });

  it('co-hashtag: undirected pairs, case folded', () => {
    const n = buildNetwork(rows, 'cohashtag');
    expect(n.directed).toBe(false);
    expect(n.edges).toEqual(
      expect.arrayContaining([
        { source: 'nyc', target: 'sandy', weight: 2 },
        { source: 'help', target: 'nyc', weight: 1 },
        { source: 'help', target: 'sandy', weight: 1 },
      ]),
    );
    expect(n.edges).toHaveLength(3);
  });

  it('writes GEXF with escaped names, and a CSV edge list with quoted fields', () => {
    const n = buildNetwork([row('a<b>&"c', 'RT @d,e: x', { rt: true })], 'retweet');
    const g = toGexf(n, 'retweet network of <Sandy>', '2026-11-27T00:00:00Z');
    expect(g).toContain('<node id="a&lt;b&gt;&amp;&quot;c"');
    expect(g).toContain('<description>retweet network of &lt;Sandy&gt;</description>');
    expect(toEdgeCsv(n)).toBe('source,target,weight\n"a<b>&""c","d,e",1\n');
  });
});

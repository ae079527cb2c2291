// Networks of an event's posts, as researchers load them into Gephi: who retweets, mentions or replies to whom, and which
// hashtags occur together, with node attributes (posts in the event, followers). GEXF 1.3 and CSV edge lists.

import type { TweetRow } from './row.js';

export const NETWORK_TYPES = ['retweet', 'mention', 'reply', 'cohashtag'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

export interface NetworkNode {
  id: string;
  posts: number;
  followers: number | null;
}

export interface Network {
  type: NetworkType;
  directed: boolean;
  nodes: NetworkNode[];
  edges: { source: string; target: string; weight: number }[];
}

/** The columns a network is built from. */
export const NETWORK_COLUMNS = [
  'u_screen_name',
  't_text',
  't_is_a_retweet',
  'um_screen_name',
  'hashtags',
  'u_followers_count',
  't_in_reply_to_screen_name',
] as const;
type Row = Pick<TweetRow, Exclude<(typeof NETWORK_COLUMNS)[number], 't_in_reply_to_screen_name'>> & Partial<Pick<TweetRow, 't_in_reply_to_screen_name'>>;

const RETWEETED = /^RT @([^\s:]+):/u;

/** A network built row by row (an event read a slice at a time): its memory is its nodes and edges, not the rows. */
export class NetworkBuilder {
  private readonly nodes = new Map<string, NetworkNode>();
  private readonly weights = new Map<string, number>();
  /** Rows added. */
  rows = 0;

  constructor(readonly type: NetworkType) {}

  add(rows: readonly Row[]): void {
    for (const r of rows) this.addRow(r);
    this.rows += rows.length;
  }

  network(): Network {
    const { type } = this;
    return {
      type,
      directed: type !== 'cohashtag',
      nodes: [...this.nodes.values()].sort((x, y) => x.id.localeCompare(y.id)),
      edges: [...this.weights.entries()].map(([k, weight]) => {
        const [source, target] = k.split('\u0000');
        return { source, target, weight };
      }),
    };
  }

  private node(id: string): NetworkNode {
    const n = this.nodes.get(id) ?? { id, posts: 0, followers: null };
    this.nodes.set(id, n);
    return n;
  }

  private edge(a: string, b: string): void {
    if (a === b) return;
    const [s, t] = this.type === 'cohashtag' && b < a ? [b, a] : [a, b];
    const key = `${s}\u0000${t}`;
    this.weights.set(key, (this.weights.get(key) ?? 0) + 1);
    this.node(s);
    this.node(t);
  }

  private addRow(r: Row): void {
    const { type } = this;
    if (type === 'cohashtag') {
      const tags = [...new Set((r.hashtags ?? []).map((h) => h.toLowerCase()))].sort();
      for (const t of tags) this.node(t).posts++;
      for (let i = 0; i < tags.length; i++) for (let j = i + 1; j < tags.length; j++) this.edge(tags[i], tags[j]);
      return;
    }
    const author = r.u_screen_name;
    if (!author) return;
    const a = this.node(author);
    a.posts++;
    if (r.u_followers_count !== null && r.u_followers_count !== undefined) a.followers = Math.max(a.followers ?? 0, r.u_followers_count);
    if (type === 'reply') {
      if (r.t_in_reply_to_screen_name) this.edge(author, r.t_in_reply_to_screen_name);
    } else if (type === 'retweet') {
      const target = r.t_is_a_retweet ? RETWEETED.exec(r.t_text ?? '')?.[1] : undefined;
      if (target) this.edge(author, target);
    } else {
      const retweeted = r.t_is_a_retweet ? RETWEETED.exec(r.t_text ?? '')?.[1] : undefined;
      for (const m of new Set((r.um_screen_name ?? []).filter((x): x is string => !!x && x !== retweeted))) this.edge(author, m);
    }
  }
}

export function buildNetwork(rows: readonly Row[], type: NetworkType): Network {
  const b = new NetworkBuilder(type);
  b.add(rows);
  return b.network();
}

const XML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
/** Text as XML 1.0 character data: markup characters escaped, the control characters XML 1.0 forbids dropped. */
const xml = (s: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML 1.0 does not allow
  s.replace(/[<>&"']/gu, (c) => XML_ESCAPES[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/gu, '');

export function toGexf(n: Network, title: string, generatedAt: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
    `  <meta lastmodifieddate="${generatedAt.slice(0, 10)}"><creator>Vigil</creator><description>${xml(title)}</description></meta>`,
    `  <graph mode="static" defaultedgetype="${n.directed ? 'directed' : 'undirected'}">`,
    '    <attributes class="node">',
    '      <attribute id="posts" title="posts in the event" type="integer"/>',
    '      <attribute id="followers" title="followers" type="integer"/>',
    '    </attributes>',
    '    <nodes>',
    ...n.nodes.map(
      (x) =>
        `      <node id="${xml(x.id)}" label="${xml(x.id)}"><attvalues><attvalue for="posts" value="${x.posts}"/>${x.followers === null ? '' : `<attvalue for="followers" value="${x.followers}"/>`}</attvalues></node>`,
    ),
    '    </nodes>',
    '    <edges>',
    ...n.edges.map((e, i) => `      <edge id="${i}" source="${xml(e.source)}" target="${xml(e.target)}" weight="${e.weight}"/>`),
    '    </edges>',
    '  </graph>',
    '</gexf>',
  ];
  return `${lines.join('\n')}\n`;
}

const csvField = (s: string): string => (/[",\n\r]/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s);

export function toEdgeCsv(n: Network): string {
  return `source,target,weight\n${n.edges.map((e) => `${csvField(e.source)},${csvField(e.target)},${e.weight}`).join('\n')}${n.edges.length > 0 ? '\n' : ''}`;
}

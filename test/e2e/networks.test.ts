// An event's networks over the API: replayed posts become a retweet network in GEXF that an XML reader parses back
// into the expected nodes, attributes and weighted edges, and a CSV edge list; bad parameters get 400. An event whose
// rows with their raw posts are far larger than DuckDB's memory limit gets its networks too: they are read a slice at
// a time, without raw (read whole, they failed with DuckDB's Out of Memory, a 500).

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { generateStream } from '../../src/bench/generate.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

describe('network exports', () => {
  it('GEXF parsed back by an XML reader, and a CSV edge list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-net-'));
    const file = join(dir, 'posts.jsonl');
    const original = tweet({ id: '1', text: 'Shelters open #sandy', screenName: 'fema' });
    writeFileSync(
      file,
      `${[
        line(original),
        line(tweet({ id: '2', text: 'RT @fema: Shelters open #sandy', screenName: 'ana', retweetOf: original })),
        line(tweet({ id: '3', text: 'RT @fema: Shelters open #sandy', screenName: 'bob', retweetOf: original })),
        line(tweet({ id: '4', text: 'sandy: ask @ana', screenName: 'cy', mentions: ['ana'] })),
      ].join('\n')}\n`,
    );
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('4 rows', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 4);

      const res = await v.fetch(`/api/events/Sandy/network?type=retweet&format=gexf`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/gexf\+xml/u);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['node', 'edge', 'attvalue'].includes(n) }).parse(
        await res.text(),
      ) as {
        gexf: {
          version: string;
          graph: {
            defaultedgetype: string;
            nodes: { node: { id: string; attvalues: { attvalue: { for: string; value: string }[] } }[] };
            edges: { edge: { source: string; target: string; weight: string }[] };
          };
        };
      };
      expect(doc.gexf.version).toBe('1.3');
      expect(doc.gexf.graph.defaultedgetype).toBe('directed');
      expect(doc.gexf.graph.nodes.node.map((n) => n.id).sort()).toEqual(['ana', 'bob', 'cy', 'fema']);
      const posts = Object.fromEntries(doc.gexf.graph.nodes.node.map((n) => [n.id, n.attvalues.attvalue.find((a) => a.for === 'posts')?.value]));
      expect(posts).toEqual({ ana: '1', bob: '1', cy: '1', fema: '1' });
      expect(doc.gexf.graph.edges.edge.map((e) => `${e.source}>${e.target}:${e.weight}`).sort()).toEqual(['ana>fema:1', 'bob>fema:1']);

      const csv = await (await v.fetch(`/api/events/Sandy/network?type=mention&format=csv`)).text();
      expect(csv).toBe('source,target,weight\ncy,ana,1\n');
      expect((await v.api('GET', '/api/events/Sandy/network?type=friends')).status).toBe(400);
    } finally {
      await v.stop();
    }
  });

  it("builds every network of an event whose rows with their raw posts are several times DuckDB's memory limit", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-net-big-'));
    const file = join(dir, 'posts.jsonl');
    writeFileSync(file, `${[...generateStream(30_000, { seed: 3 })].join('\n')}\n`);
    const v = await startVigil(['--data', join(dir, 'data'), '--duckdb-memory-limit', '64MB']);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Big', keywords: ['sandy', 'flooding', 'hurricane', 'storm'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor(
        'the replay stored',
        async () => {
          const s = (await v.api<{ tracker: { source?: { state: string } }; classifier: { lag: number } }>('GET', '/api/status')).body;
          return s.tracker.source?.state === 'finished' && s.classifier.lag === 0;
        },
        120_000,
      );
      const { count } = (await v.api<{ count: number }>('GET', '/api/events/Big/stats')).body;
      expect(count).toBeGreaterThan(10_000);
      for (const type of ['retweet', 'mention', 'reply', 'cohashtag']) {
        const res = await v.fetch(`/api/events/Big/network?type=${type}&format=csv`);
        expect(
          res.status,
          `${type}: ${await res
            .clone()
            .text()
            .then((t) => t.slice(0, 200))}`,
        ).toBe(200);
        expect(res.headers.get('vigil-network-rows'), type).toBe(String(count));
        // the generated posts are not replies: that network is its header alone
        expect((await res.text()).split('\n').length, type).toBeGreaterThan(type === 'reply' ? 1 : 100);
      }
    } finally {
      await v.stop();
    }
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { classifyBatch, classifyLine } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import type { TweetRow } from '../../src/core/row.js';
import { decodeRowBatch, EVENT_ROWS_FIELD, RAW_SEPARATOR, RowBatchBuilder, rowBatch, rowObjects } from '../../src/core/row-batch.js';
import { line, tweet } from '../helpers/tweets.js';

const NOW = '2012-10-29T12:00:00.000Z';
const events = new Matcher([
  { id: '6f1c1e0e-0d1a-4b8e-9a55-1d0f1c1e0e01', name: 'sandy', keywords: ['sandy'], active: true },
  { id: '6f1c1e0e-0d1a-4b8e-9a55-1d0f1c1e0e02', name: 'floods', keywords: ['flooding'], active: true },
  { id: '6f1c1e0e-0d1a-4b8e-9a55-1d0f1c1e0e03', name: 'nyc', keywords: ['new york'], active: true },
]);

const lines = [
  line(tweet({ id: '1', text: 'sandy flooding in new york #nyc' })),
  line(tweet({ id: '2', text: 'only sandy here' })),
  line(tweet({ id: '3', text: 'nothing to see' })),
  line(tweet({ id: '1', text: 'sandy flooding in new york, again' })),
];

function rowsOf(ls: readonly string[]): TweetRow[] {
  return ls.flatMap((l) => {
    const o = classifyLine(l, events, NOW);
    return o.kind === 'post' ? o.rows : [];
  });
}

describe('row batches', () => {
  it('encodes a post matching several events once per row, each row whole, the same as the rows one by one', () => {
    const fromBatch = classifyBatch(lines, ['a', 'b', 'c', 'd'], events, NOW);
    const oneByOne = rowBatch(rowsOf(lines));
    expect(fromBatch.rows.count).toBe(4);
    expect(decodeRowBatch(fromBatch.rows)).toEqual(decodeRowBatch(oneByOne));
    const rows = decodeRowBatch(fromBatch.rows);
    expect(rows.map((r) => `${r.event_name}/${r.t_id}`)).toEqual(['sandy/1', 'floods/1', 'nyc/1', 'sandy/2']);
    for (const r of rows) expect(r.raw).toBe(lines[Number(r.t_id) - 1]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4);
    expect(fromBatch.counts).toMatchObject({ lines: 4, posts: 4, rows: 7 });
    expect(fromBatch.matches).toEqual({ sandy: 3, floods: 2, nyc: 2 });
  });

  it('keeps the first of the rows of one (event, platform, post id) and writes a position instead of raw when given', () => {
    const b = classifyBatch(lines, ['a', 'b', 'c', 'd'], events, NOW, [], [100, 200, 300, 400]);
    const expanded = rowObjects(b.rows);
    const parsed = expanded.map((r) => r.fields);
    expect(parsed.map((r) => [r.event_name, r.t_id, r.raw_ref, r.t_text])).toEqual([
      ['sandy', '1', 100, 'sandy flooding in new york #nyc'],
      ['floods', '1', 100, 'sandy flooding in new york #nyc'],
      ['nyc', '1', 100, 'sandy flooding in new york #nyc'],
      ['sandy', '2', 200, 'only sandy here'],
    ]);
    expect(b.rows.rawLines.split(RAW_SEPARATOR)).toEqual(['', '']);
    expect(expanded.map((r) => r.raw)).toEqual(['', '', '', '']);
    expect(parsed.every((r) => !('raw' in r))).toBe(true);
  });

  it('writes a post matching several events once, its rows own fields listed in its line, and no line for a post without rows', () => {
    const b = classifyBatch(lines, ['a', 'b', 'c', 'd'], events, NOW).rows;
    const postLines = Buffer.from(b.json).toString('utf8').split('\n');
    expect(postLines).toHaveLength(2); // posts 1 and 2; post 3 matched nothing, the second post 1 only rows kept already
    const first = JSON.parse(postLines[0]) as Record<string, unknown>;
    expect((first[EVENT_ROWS_FIELD] as { event_name: string }[]).map((r) => r.event_name)).toEqual(['sandy', 'floods', 'nyc']);
    expect(first).toMatchObject({ t_id: '1', t_text: 'sandy flooding in new york #nyc' });
    expect(postLines[0].split('"t_text"')).toHaveLength(2);
    expect(b.rawLines.split(RAW_SEPARATOR)).toEqual([lines[0], lines[1]]);
  });

  it('refuses a raw line holding the record separator instead of splitting it', () => {
    const [row] = rowsOf([lines[1]]);
    const { id, event_kw, event_name, event_id, collected_at, match_targets, match_fields, backfilled, ...post } = row;
    const own = { id, event_kw, event_name, event_id, collected_at, match_targets, match_fields, backfilled };
    const refusing = new RowBatchBuilder();
    expect(() => refusing.addPost({ ...post, raw: `${post.raw}\u001e` }, [own])).toThrow(/U\+001E/u);
    const refused = refusing.build();
    expect([refused.count, refused.json.byteLength, refused.rawLines]).toEqual([0, 0, '']); // nothing half written
    const b = new RowBatchBuilder();
    b.addPost({ ...post, raw: `${post.raw}\u001e` }, [own], 7);
    expect(b.build().count).toBe(1);
  });

  it('leaves the post it is given as it was, raw included', () => {
    const [row] = rowsOf([lines[1]]);
    const { id, event_kw, event_name, event_id, collected_at, match_targets, match_fields, backfilled, ...post } = row;
    const copy = structuredClone(post);
    const b = new RowBatchBuilder();
    b.addPost(post, [{ id, event_kw, event_name, event_id, collected_at, match_targets, match_fields, backfilled }]);
    expect(post).toEqual(copy);
    expect(decodeRowBatch(b.build())).toEqual([row]);
  });
});

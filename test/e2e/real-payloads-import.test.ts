// The real payloads (test/fixtures/real/, provenance in its SOURCES.md) through `vigil import` and `vigil classify`,
// as a researcher brings an archive: every post is stored (or printed) with every column as written by hand from
// the platform's documentation (test/unit/real-payloads.test.ts checks the normalizers alone), and the CSV export and
// a query's CSV download keep list columns as JSON arrays, a mentioned name holding a comma as one name.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { expectRealRows, lineOf, realCases, realKeywords } from '../helpers/real-payloads.js';
import { BIN, startVigil } from '../helpers/vigil-process.js';

const exec = promisify(execFile);

/** A CSV line's fields (RFC 4180 quoting), enough for one line without line breaks inside fields. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

describe('real payloads through vigil import and vigil classify', () => {
  it('stores every post of every platform with every column as the platform means it, and exports lists as JSON arrays', async () => {
    const posts = realCases().filter((c) => c.expected.kind === 'post');
    const keywords = realKeywords(posts);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-real-import-'));
    const data = join(dir, 'data');
    const first = await startVigil(['--data', data]);
    expect((await first.api('POST', '/api/events', { name: 'Real', keywords })).status).toBe(201);
    expect(await first.stop()).toBe(0);
    const file = join(dir, 'real.jsonl');
    writeFileSync(file, `${posts.map((c) => lineOf(c.expected.payload)).join('\n')}\n`);
    const r = await exec(process.execPath, [BIN, 'import', file, '--data', data]);
    expect(r.stderr).toMatch(/rejected=0/u);

    // A machine whose local zone is not UTC: exported times must still be UTC, and say so.
    const v = await startVigil(['--data', data], { TZ: 'America/New_York' });
    try {
      const stored = await v.api<{ rows: Record<string, unknown>[] }>('POST', '/api/query', { sql: 'SELECT * FROM tweet' });
      expect(stored.status).toBe(200);
      expectRealRows(stored.body.rows, posts);

      const csv = (await (await v.fetch('/api/events/Real/export?format=csv')).text()).trim().split('\n');
      const header = csvFields(csv[0]);
      const gnip = csv.map(csvFields).find((f) => f[header.indexOf('um_screen_name')]?.includes('Gnip'));
      expect(gnip, 'the Gnip mentions post is exported').toBeDefined();
      const field = (c: string): unknown => JSON.parse(gnip?.[header.indexOf(c)] ?? 'null');
      expect(field('um_name')).toEqual(['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter']);
      expect(field('um_screen_name')).toEqual(['notFromShrek', 'Gnip', 'Twitter']);
      expect(Array.isArray(field('event_kw'))).toBe(true);
      const gnipPost = posts.find((c) => c.name === 'twitter-v1/mentions')?.expected.row;
      const created = gnip?.[header.indexOf('t_created_at')] ?? '';
      expect(created).toMatch(/\+00$/u);
      expect(Date.parse(`${created.replace(' ', 'T')}:00`)).toBe(Date.parse(String(gnipPost?.t_created_at)));
      expect(header).toContain('raw');
      const lean = (await (await v.fetch('/api/events/Real/export?format=csv&raw=exclude')).text()).split('\n')[0];
      expect(csvFields(lean)).toEqual(header.filter((c) => c !== 'raw'));
      expect((await v.fetch('/api/events/Real/export?format=csv&raw=maybe')).status).toBe(400);

      // A query's result downloads as CSV (lists as JSON arrays) and Parquet, cut at the row limit and saying so.
      const download = (body: unknown): Promise<Response> =>
        v.fetch('/api/query/download', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const sql = "SELECT t_id, um_name, u_followers_count FROM tweet WHERE list_contains(um_screen_name, 'Gnip')";
      const result = await download({ sql, format: 'csv' });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-disposition')).toContain('vigil-result.csv');
      const [head, row] = (await result.text()).trim().split('\n').map(csvFields);
      expect(head).toEqual(['t_id', 'um_name', 'u_followers_count']);
      expect(JSON.parse(row[1])).toEqual(['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter']);
      const parquet = await download({ sql: 'SELECT t_id, hashtags, t_created_at FROM tweet', format: 'parquet' });
      expect(
        Buffer.from(await parquet.arrayBuffer())
          .subarray(0, 4)
          .toString(),
      ).toBe('PAR1');
      const cut = await download({ sql: 'SELECT t_id FROM tweet ORDER BY t_id', maxRows: 2 });
      expect(cut.headers.get('x-vigil-truncated')).toBe('rows');
      expect((await cut.text()).trim().split('\n')).toHaveLength(3);
      const bad = await download({ sql, format: 'xlsx' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toMatch(/format/u);
      expect((await download({ sql: 'DELETE FROM tweet', format: 'csv' })).status).toBe(403);
    } finally {
      await v.stop();
    }
  }, 120_000);

  it('vigil classify prints the same rows, every column as the platform means it', async () => {
    const posts = realCases().filter((c) => c.expected.kind === 'post');
    const keywords = realKeywords(posts);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-real-classify-'));
    writeFileSync(join(dir, 'events.json'), JSON.stringify([{ name: 'Real', keywords }]));
    writeFileSync(join(dir, 'real.jsonl'), `${posts.map((c) => lineOf(c.expected.payload)).join('\n')}\n`);
    const r = await exec(process.execPath, [BIN, 'classify', '--events', join(dir, 'events.json'), join(dir, 'real.jsonl')], { maxBuffer: 64 * 2 ** 20 });
    expect(r.stderr).toMatch(/rejected=0/u);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expectRealRows(rows, posts);
  });
});

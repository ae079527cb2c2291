// `vigil generate`: sample data for trying Vigil, from its own command (not a benchmark's side effect): the same seed
// gives the same file, every line is a Twitter v1.1 post Vigil classifies, and crisis words are there to collect.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/vigil-process.js';

const vigil = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, maxBuffer: 256 * 2 ** 20 });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};

describe('vigil generate', () => {
  it('writes N synthetic posts, the same for the same seed, that vigil classify takes as posts of a crisis event', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-generate-'));
    const a = vigil(['generate', '--posts', '2000', '--seed', '7', '--out', 'a.jsonl.gz'], dir);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/wrote 2,000 synthetic posts to a\.jsonl\.gz \(seed 7\)/u);
    vigil(['generate', '--posts', '2000', '--seed', '7', '--out', 'b.jsonl.gz'], dir);
    const [fa, fb] = [gunzipSync(await readFile(join(dir, 'a.jsonl.gz'))), gunzipSync(await readFile(join(dir, 'b.jsonl.gz')))];
    expect(fa.equals(fb)).toBe(true);
    expect(fa.toString().trim().split('\n')).toHaveLength(2000);
    expect(vigil(['generate', '--posts', '2000', '--seed', '8'], dir).stdout).not.toBe(fa.toString());

    await writeFile(join(dir, 'events.json'), JSON.stringify([{ name: 'Sandy', keywords: ['sandy', 'flooding'] }]));
    const c = vigil(['classify', '--events', 'events.json', 'a.jsonl.gz'], dir);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/posts=2000 /u);
    expect(c.stderr).toMatch(/rejected=0/u);
    expect(c.stdout.trim().split('\n').length).toBeGreaterThan(100);
  });

  it('refuses a count or a time it cannot use, saying what it takes (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-generate-'));
    const bad = vigil(['generate', '--posts', 'many'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--posts takes a whole number/u);
    expect(vigil(['generate', '--start', 'yesterday'], dir).stderr).toMatch(/--start takes an ISO-8601 time/u);
  });
});

// After an import whose term counting was cut short, an event page's first load waits for the store to count the
// rest: it says so, with how far the count has gone, and shows its lists once it is done (Chromium, the real runtime).

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { BIN, startVigil, type VigilProcess } from '../helpers/vigil-process.js';

const POSTS = 120_000;
const WORDS = ['flooding', 'power', 'outage', 'shelter', 'evacuate', 'subway', 'bridge', 'tunnel', 'storm', 'surge'];

describe('term counts after an import, in the browser', () => {
  let v: VigilProcess | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await v?.stop();
  });

  it("shows the rows an event page waits to have counted, then the page's lists", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-terms-ui-'));
    const data = join(dir, 'data');
    const setup = await startVigil(['--data', data]);
    expect((await setup.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] })).status).toBe(201);
    expect(await setup.stop()).toBe(0);
    const lines: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const text = `sandy ${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} update ${i} from block ${i % 997}`;
      lines.push(line(tweet({ id: String(1_000_000 + i), text, hashtags: [WORDS[i % 3]], screenName: `user${i % 501}` })));
    }
    const file = join(dir, 'sandy.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);

    // The import is stopped as it begins counting the terms: its rows are stored, their terms not counted.
    const importing = spawn(process.execPath, [BIN, 'import', file, '--data', data], { stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    await new Promise<void>((resolve, reject) => {
      importing.stderr.on('data', (d: Buffer) => {
        said += d.toString();
        if (said.includes('counting terms for the event pages [0%]')) {
          importing.kill('SIGKILL');
          resolve();
        }
      });
      importing.once('exit', () => reject(new Error(`the import ended before counting terms: ${said}`)));
    });
    expect(said).toMatch(new RegExp(`0/${POSTS.toLocaleString('en-US')} rows`, 'u'));

    // No counting in the background (it counts 120,000 short rows in about a second, often before the page opens):
    // the page's first load is what asks for the count, as when a page is opened while a large import's are counted.
    v = await startVigil(['--data', data, '--term-count-idle-ms', '0']);
    const status = await v.api<{ termCounts: { rowsToCount: number } }>('GET', '/api/status');
    expect(status.body.termCounts.rowsToCount).toBe(POSTS);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(v.signInLink() as string);
    await page.goto(`${v.url}/#/events/Sandy`);
    const progress = page.getByTestId('term-count-progress');
    await progress.waitFor({ timeout: 15_000 });
    expect(await progress.textContent()).toMatch(/Counting the terms of [\d,]+ rows not counted yet/u);
    await mkdir(join(process.cwd(), 'test-results'), { recursive: true });
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'term-count-progress.png') });
    await page.getByTestId('hashtags-chart').waitFor({ timeout: 120_000 });
    expect(await progress.count()).toBe(0);
    expect((await v.api<{ termCounts: { rowsToCount: number } }>('GET', '/api/status')).body.termCounts.rowsToCount).toBe(0);
  });
});

// The web UI in a real browser (Debian's Chromium driven by playwright-core) against the real embedded runtime:
// create an event, replay a file, watch the count rise, check the event page's charts against the API, run a
// notebook query, edit and delete the event. Screenshots go to test-results/ (and the README's to docs/).

import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, type VigilProcess } from '../helpers/vigil-process.js';

const SHOTS = join(process.cwd(), 'test-results');
const DOCS = join(process.cwd(), 'docs');
const EVENT = '2012 Hurricane Sandy';

const TAGS = ['sandy', 'nyc', 'flood', 'power'];
function archive(): string {
  const lines: string[] = [];
  for (let i = 0; i < 240; i++) {
    lines.push(
      line(
        tweet({
          id: String(5_000_000 + i),
          text:
            i === 239 ? 'sandy <script>alert("xss")</script> <img src=x onerror=alert(1)>' : `${i % 3 === 0 ? 'Flooding' : 'Sandy'} update ${i} from the coast`,
          createdAt: new Date(Date.UTC(2012, 9, 29, 10 + Math.floor(i / 40), i % 60)).toISOString(),
          hashtags: i % 4 === 0 ? [TAGS[i % 3]] : i % 5 === 0 ? ['power'] : [],
          screenName: `user${i % 7}`,
          mentions: i % 6 === 0 ? ['fema'] : [],
          urls: i % 8 === 0 ? [{ expanded: `https://www.fema.gov/page${i % 3}` }] : [],
          retweetOf: i % 10 === 0 ? tweet({ id: String(9_000_000 + i), text: 'original sandy post', screenName: 'origin' }) : undefined,
        }),
      ),
    );
  }
  lines.push('{"broken": ');
  return `${lines.join('\n')}\n`;
}

describe('web UI in Chromium', () => {
  let v: VigilProcess;
  let browser: Browser;
  let page: Page;
  let file: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-ui-'));
    file = join(dir, 'sandy.jsonl');
    await writeFile(file, archive());
    await mkdir(SHOTS, { recursive: true });
    await mkdir(DOCS, { recursive: true });
    // A short query time limit, to see the notebook keep the same one as the API.
    v = await startVigil(['--data', join(dir, 'data'), '--query-timeout-ms', '5000']);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    // As a new user does: open the sign-in link Vigil printed.
    await page.goto(v.signInLink()!);
  });

  afterAll(async () => {
    await browser?.close();
    await v?.stop();
  });

  it('creates an event, shows the API wording next to a bad field, and collects a replay with the count rising', async () => {
    await page.goto(v.url);
    await expect.poll(() => page.getByTestId('status-source').textContent()).toContain('none connected');

    const form = page.getByTestId('new-event-form');
    await form.getByLabel('Name').fill(EVENT);
    const kw = form.locator('#new-keywords');
    await kw.fill('x'.repeat(61));
    await kw.press('Enter');
    await form.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => form.getByTestId('error-keywords').textContent()).toBe('keywords[0]: must be at most 60 bytes of UTF-8 (got 61)');
    await form.getByRole('button', { name: `remove ${'x'.repeat(61)}` }).click();
    for (const k of ['sandy', 'flooding', 'fema.gov']) {
      await kw.fill(k);
      await kw.press('Enter');
    }
    await form.getByRole('button', { name: 'Create event' }).click();
    const card = page.getByTestId(`card-${EVENT}`);
    await expect.poll(() => card.getByTestId('card-count').textContent()).toBe('0');
    expect((await v.api<{ keywords: string[] }>('GET', `/api/events/${encodeURIComponent(EVENT)}`)).body.keywords).toEqual(['sandy', 'flooding', 'fema.gov']);

    await page.getByLabel('archive to upload').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and replay' }).click();
    await expect.poll(() => page.getByTestId('upload-done').textContent()).toContain('sandy.jsonl uploaded');
    await expect.poll(() => card.getByTestId('card-count').textContent(), { timeout: 20_000 }).toBe('240');
    await expect.poll(() => page.getByTestId('status-rejects').textContent(), { timeout: 10_000 }).toBe('1');
    // the replay is called finished once what it read is stored, and the API says how much of the file was read
    await expect.poll(() => page.getByTestId('status-progress').textContent(), { timeout: 10_000 }).toBe('finished: every line read is stored');
    const source = (await v.api<{ tracker: { source: { bytesRead: number; bytesTotal: number } } }>('GET', '/api/status')).body.tracker.source;
    expect(source.bytesTotal).toBe(Buffer.byteLength(archive()));
    expect(source.bytesRead).toBe(source.bytesTotal);
    const spark = JSON.parse((await card.getByTestId('card-sparkline').getAttribute('data-values')) ?? '[]') as number[];
    expect(spark.reduce((a, b) => a + b, 0)).toBe(240);
    // the same archive again, under another name: known by its content, it says so and offers re-classification
    await page.getByLabel('archive to upload').setInputFiles({ name: 'sandy-again.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(archive()) });
    await page.getByRole('button', { name: 'Upload and replay' }).click();
    const metBefore = page.getByTestId('upload-met-before');
    await expect.poll(() => metBefore.textContent()).toMatch(/replayed before .*its first [\d,]+ lines were sent then and are not sent again/u);
    expect(await metBefore.getByRole('link', { name: EVENT, exact: true }).getAttribute('href')).toBe(`#/events/${encodeURIComponent(EVENT)}`);
    await expect.poll(() => page.getByTestId('status-progress').textContent(), { timeout: 10_000 }).toBe('finished: every line read is stored');
    expect(await card.getByTestId('card-count').textContent()).toBe('240');
    await page.screenshot({ path: join(SHOTS, 'events.png'), fullPage: true });
    await page.screenshot({ path: join(DOCS, 'events-page.png') });
  });

  it('event page charts show the same data as the API, and post text is rendered as text', async () => {
    const jobAsks: string[] = [];
    const count = (r: { url(): string }): void => {
      if (/\/reclassify$/u.test(r.url())) jobAsks.push(r.url());
    };
    page.on('request', count);
    await page.getByTestId(`card-${EVENT}`).getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('hashtags-chart').waitFor();
    // with no re-classification job, the page asks once, not every second (each answered 404)
    await new Promise((r) => setTimeout(r, 3000));
    page.off('request', count);
    expect(jobAsks.length).toBeLessThanOrEqual(1);
    const api = (
      await v.api<{
        hashtags: { hashtag: string; n: number }[];
        volume: { n: number }[];
        users: { user: string; n: number }[];
        posts: number;
        retweets: number;
        distinctUsers: number;
      }>('GET', `/api/events/${encodeURIComponent(EVENT)}/summary?bucket=hour`)
    ).body;
    const data = async (id: string) => ({
      labels: JSON.parse((await page.getByTestId(id).getAttribute('data-labels')) ?? '[]') as string[],
      values: JSON.parse((await page.getByTestId(id).getAttribute('data-values')) ?? '[]') as number[],
    });
    expect(await data('hashtags-chart')).toEqual({
      labels: api.hashtags.slice(0, 12).map((h) => `#${h.hashtag}`),
      values: api.hashtags.slice(0, 12).map((h) => h.n),
    });
    expect((await data('volume-chart')).values).toEqual(api.volume.map((x) => x.n));
    expect((await data('volume-chart')).values.reduce((a, b) => a + b, 0)).toBe(240);
    // the charts draw in the page's font, not Chart.js's own
    const bodyFont = await page.locator('body').evaluate((b) => b.ownerDocument.defaultView?.getComputedStyle(b).fontFamily);
    expect(await page.getByTestId('volume-chart').getAttribute('data-font')).toBe(bodyFont);
    expect((await data('users-chart')).values).toEqual(api.users.slice(0, 12).map((u) => u.n));
    expect(await page.getByTestId('kpi-posts').textContent()).toBe('240');
    expect(await page.getByTestId('kpi-retweet-share').textContent()).toBe(`${Math.round((api.retweets / api.posts) * 100)}%`);
    // distinct authors, not the length of the top-20 list: seven accounts post in the archive
    expect(api.distinctUsers).toBe(7);
    expect(await page.getByTestId('kpi-users').textContent()).toBe('7');

    await page.screenshot({ path: join(DOCS, 'event-page.png') });
    await page.getByTestId('bucket').selectOption('day');
    await expect.poll(async () => (await data('volume-chart')).values).toEqual([240]);

    const tail = page.getByTestId('tail');
    await expect.poll(() => tail.textContent()).toContain('<script>alert("xss")</script>');
    expect(await tail.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // An export says it is being prepared while the server writes it (held back here until the page was seen saying
    // so), then what was saved; without raw JSON, the file has no raw column, and times carry their zone.
    let release: () => void = () => undefined;
    let held = Promise.resolve();
    await page.route('**/export?**', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('export-without-raw').check();
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    await expect.poll(() => page.getByTestId('export-state').textContent()).toMatch(/^saved .+\.csv \(\d+(\.\d)? (B|KB|MB)\)$/u);
    const lines = (await readFile((await exported.path()) ?? '', 'utf8')).trim().split('\n');
    expect(lines[0].split(',')).not.toContain('raw');
    expect(lines[0].split(',')).toContain('t_created_at');
    expect(lines[1]).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00/u);
    held = new Promise((r) => {
      release = r;
    });
    const bundle = page.waitForEvent('download');
    await page.getByTestId('export-bundle').click();
    await expect.poll(() => page.getByTestId('export-state').textContent()).toMatch(/^preparing Dataset \+ manifest… \d+ s$/u);
    expect(await page.getByTestId('export-csv').isDisabled()).toBe(true);
    release();
    expect((await bundle).suggestedFilename()).toMatch(/dataset\.tar\.gz$/u);
    await expect.poll(() => page.getByTestId('export-state').textContent()).toMatch(/^saved .+dataset\.tar\.gz/u);
    await page.unroute('**/export?**');
    const csv = await page.request.get(`${v.url}/api/events/${encodeURIComponent(EVENT)}/export?format=csv`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).trim().split('\n').length).toBeGreaterThan(240);
    const parquet = await page.request.get(`${v.url}/api/events/${encodeURIComponent(EVENT)}/export?format=parquet`);
    expect((await parquet.body()).subarray(0, 4).toString()).toBe('PAR1');
    await page.screenshot({ path: join(SHOTS, 'event.png'), fullPage: true });
  });

  it('an event card says it is counting until the counts come, not that the event has no posts', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const hold = async (route: Route) => {
      await held;
      await route.continue();
    };
    await page.route('**/api/overview', hold);
    try {
      await page.goto(`${v.url}/#/`);
      const card = page.getByTestId(`card-${EVENT}`);
      await expect.poll(() => card.getByTestId('card-count').textContent(), { timeout: 10_000 }).toBe('…');
      release();
      await expect.poll(() => card.getByTestId('card-count').textContent(), { timeout: 10_000 }).toBe('240');
    } finally {
      release();
      await page.unroute('**/api/overview', hold);
    }
  });

  it('the status panel says when storing keeps failing, why and when it is tried again, and nothing of it once it works', async () => {
    const failing = {
      reason: 'Out of Memory Error: could not allocate block of size 256.0 KiB',
      attempts: 4,
      since: '2026-12-06T18:00:00.000Z',
      retryAt: '2026-12-06T18:00:08.000Z',
    };
    // Vigil's own status, with the classifier's failures as a store out of memory makes them.
    const failingStatus = async (route: Route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { classifier: Record<string, unknown> };
      await route.fulfill({ response: res, json: { ...body, classifier: { ...body.classifier, failing } } });
    };
    await page.route('**/api/status', failingStatus);
    try {
      await page.goto(`${v.url}/#/`);
      const alert = page.getByTestId('status-failing');
      await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('Storing is failing');
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain(failing.reason);
      expect(text).toContain('4 attempts');
      expect(text).toContain('2026-12-06 18:00:08');
      expect(await alert.getAttribute('role')).toBe('alert');
    } finally {
      await page.unroute('**/api/status', failingStatus);
    }
    // The next status without failures (polled every 2 s) takes the alert away.
    await page.getByTestId('status-lag').waitFor();
    await expect.poll(() => page.getByTestId('status-failing').count(), { timeout: 10_000 }).toBe(0);
  });

  it('runs a notebook query with Ctrl-Enter and shows the expected table, sortable, with row count and time', async () => {
    await page.goto(`${v.url}/#/notebook`);
    await expect.poll(() => page.getByTestId('notebook-select').inputValue()).toBe('Event overview');
    const cell = page.getByTestId('cell-0');
    await cell
      .getByRole('textbox')
      .fill("SELECT u_screen_name AS user, count(*) AS n FROM tweet WHERE event_name = '2012 Hurricane Sandy' GROUP BY 1 ORDER BY n DESC, user");
    await cell.getByRole('textbox').press('Control+Enter');
    const table = cell.getByTestId('result-table');
    await table.waitFor();
    const expected = (
      await v.api<{ rows: { user: string; n: number }[] }>('POST', '/api/query', {
        sql: "SELECT u_screen_name AS user, count(*) AS n FROM tweet WHERE event_name = '2012 Hurricane Sandy' GROUP BY 1 ORDER BY n DESC, user",
      })
    ).body.rows;
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual(expected.map((r) => [r.user, String(r.n)]));
    expect(await cell.getByTestId('result-meta').textContent()).toMatch(/^7 rows · \d+ ms$/);
    await table.getByRole('columnheader', { name: 'user' }).click();
    const sorted = await table.locator('tbody tr td:first-child').allTextContents();
    expect(sorted).toEqual([...sorted].sort());
    // numbers line up on the right; text does not
    expect(
      await table
        .locator('tbody tr td')
        .nth(1)
        .evaluate((td) => td.ownerDocument.defaultView?.getComputedStyle(td).textAlign),
    ).toBe('right');
    expect(
      await table
        .locator('tbody tr td')
        .nth(0)
        .evaluate((td) => td.ownerDocument.defaultView?.getComputedStyle(td).textAlign),
    ).not.toBe('right');

    // the result downloads as CSV and as Parquet, with every row
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('download-csv').click()]);
    expect(csvDownload.suggestedFilename()).toBe('vigil-result.csv');
    const csvText = await readFile((await csvDownload.path()) ?? '', 'utf8');
    expect(csvText.trim().split('\n')).toEqual(['user,n', ...expected.map((r) => `${r.user},${r.n}`)]);
    const [parquetDownload] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('download-parquet').click()]);
    expect((await readFile((await parquetDownload.path()) ?? '')).subarray(0, 4).toString()).toBe('PAR1');

    const second = page.getByTestId('cell-1');
    await second.getByRole('textbox').fill('DELETE FROM tweet');
    await second.getByRole('textbox').press('Control+Enter');
    await expect.poll(() => second.getByTestId('cell-error').textContent()).toMatch(/only read-only queries/);
    await page.screenshot({ path: join(SHOTS, 'notebook.png'), fullPage: true });

    // a long query shows that it runs and can be cancelled
    await second.getByRole('textbox').fill('SELECT count(*) FROM range(100000000000) a');
    await second.getByRole('textbox').press('Control+Enter');
    // while it runs, the time it has taken so far
    await expect.poll(() => second.getByTestId('running').textContent(), { timeout: 10_000 }).toMatch(/^Running… (0\.[1-9]|[1-9]\d*\.\d) s$/u);
    await second.getByTestId('cancel').click();
    await expect.poll(() => second.getByTestId('cell-error').textContent(), { timeout: 10_000 }).toBe('the query was cancelled');
    // the notebook keeps the query time limit the API keeps (--query-timeout-ms 5000 here), and says it in its words
    const slow = 'SELECT count(*) FROM range(100000000000) a, range(10) b';
    const api = await v.api<{ error: string }>('POST', '/api/query', { sql: slow });
    expect(api.status).toBe(504);
    await second.getByRole('textbox').fill(slow);
    const began = performance.now();
    await second.getByRole('textbox').press('Control+Enter');
    await expect.poll(() => second.getByTestId('cell-error').textContent(), { timeout: 20_000 }).toBe(api.body.error);
    // once, at the limit: a time-out answered 408 was sent again by Chromium itself, twice (15 s for a 5 s limit)
    expect(performance.now() - began, 'stopped at the limit, not a multiple of it').toBeLessThan(9_000);
    await page.getByTestId('cell-2').getByRole('button', { name: 'Run ▸' }).click();
    const pie = page.getByTestId('cell-chart-2');
    await pie.waitFor();
    expect(JSON.parse((await pie.getAttribute('data-values')) ?? '[]').reduce((a: number, b: number) => a + b, 0)).toBe(240);

    // the starter notebook with the thesis's word count, for the README
    await page.goto(`${v.url}/#/notebook/${encodeURIComponent('Word count (thesis)')}`);
    await page.getByTestId('cell-0').getByRole('button', { name: 'Run ▸' }).click();
    await page.getByTestId('cell-1').getByRole('button', { name: 'Run ▸' }).click();
    await page.getByTestId('cell-chart-1').waitFor();
    const words = JSON.parse((await page.getByTestId('cell-chart-1').getAttribute('data-labels')) ?? '[]') as string[];
    expect(words).toContain('sandy');
    // the chart sums the term counts; the table counts the rows with the thesis's query: the same words and counts
    const cells = (await v.api<{ cells: { sql: string }[] }>('GET', `/api/notebooks/${encodeURIComponent('Word count (thesis)')}`)).body.cells;
    expect(cells[1].sql).toContain('term_count');
    const [thesis, kept] = await Promise.all(cells.map((c) => v.api<{ rows: { word: string; n: number }[] }>('POST', '/api/query', { sql: c.sql })));
    expect(kept.body.rows.length).toBeGreaterThan(5);
    expect(kept.body.rows).toEqual(thesis.body.rows.filter((r) => r.word !== '').slice(0, 15));
    await page.getByTestId('cell-1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(DOCS, 'notebook-page.png') });
    await page.goto(`${v.url}/#/notebook`);
    await expect.poll(() => page.getByTestId('notebook-select').inputValue()).toBe('Event overview');
  });

  it('saves a notebook that survives a reload', async () => {
    const cell = page.getByTestId('cell-0').getByRole('textbox');
    // the notebook shown has loaded (its cell holds its own first query, not the last page's) before it is edited
    const first = (await v.api<{ cells: { sql: string }[] }>('GET', '/api/notebooks/Event%20overview')).body.cells[0].sql;
    await expect.poll(() => cell.inputValue()).toBe(first);
    const sql = 'SELECT u_screen_name AS user, count(*) AS n FROM tweet GROUP BY 1';
    await cell.fill(sql);
    await expect.poll(() => cell.inputValue()).toBe(sql);
    await page.getByLabel('new notebook name').fill('My analysis');
    await page.getByRole('button', { name: 'Save as' }).click();
    await expect.poll(() => page.url()).toContain('#/notebook/My%20analysis');
    await page.reload();
    await expect.poll(() => page.getByTestId('notebook-select').inputValue()).toBe('My analysis');
    expect((await v.api<{ cells: { sql: string }[] }>('GET', '/api/notebooks/My%20analysis')).body.cells[0].sql).toContain('u_screen_name AS user');
  });

  it('keeps unsaved notebook edits: saved by themselves, also when another notebook is opened at once', async () => {
    await page.goto(`${v.url}/#/notebook/${encodeURIComponent('My analysis')}`);
    const cell = page.getByTestId('cell-0').getByRole('textbox');
    await expect.poll(() => cell.inputValue()).toContain('u_screen_name AS user');
    const sql = 'SELECT t_lang, count(*) AS n FROM tweet GROUP BY 1';
    await cell.fill(sql);
    // another notebook at once, well before the second after which edits save themselves
    await page.getByTestId('notebook-select').selectOption('Event overview');
    await expect.poll(() => page.url()).toContain('#/notebook/Event%20overview');
    await expect.poll(async () => (await v.api<{ cells: { sql: string }[] }>('GET', '/api/notebooks/My%20analysis')).body.cells[0].sql).toBe(sql);
    await page.getByTestId('notebook-select').selectOption('My analysis');
    await expect.poll(() => page.getByTestId('cell-0').getByRole('textbox').inputValue()).toBe(sql);
    // an edit left alone is saved a second later, and says so
    const before = (await v.api<{ cells: unknown[] }>('GET', '/api/notebooks/My%20analysis')).body.cells.length;
    await page.getByRole('button', { name: '+ Add cell' }).click();
    await expect
      .poll(() => page.getByTestId('notebook-saved').textContent(), { timeout: 5000 })
      .toMatch(/^saved automatically \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/u);
    expect((await v.api<{ cells: unknown[] }>('GET', '/api/notebooks/My%20analysis')).body.cells).toHaveLength(before + 1);
  });

  it('writes every time one way, in UTC and saying so: query results, the card, the event page', async () => {
    await page.goto(`${v.url}/#/notebook/${encodeURIComponent('My analysis')}`);
    const cell = page.getByTestId('cell-0');
    await cell
      .getByRole('textbox')
      .fill("SELECT min(t_created_at) AS first_post, max(collected_at) AS collected FROM tweet WHERE event_name = '2012 Hurricane Sandy'");
    await cell.getByRole('button', { name: /run/iu }).first().click();
    const row = cell.getByTestId('result-table').locator('tbody tr').first();
    await expect
      .poll(() => row.locator('td').allTextContents(), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/^2012-10-29 \d\d:\d\d:\d\d UTC$/u), expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/u)]);
    // Every text on the pages that looks like a time is written as one.
    const isoLike = /\d{4}-\d\d-\d\dT\d\d:\d\d/u;
    await page.goto(`${v.url}/#/`);
    await page.getByTestId('card-count').first().waitFor();
    expect(await page.locator('body').textContent()).not.toMatch(isoLike);
    await page.goto(`${v.url}/#/events/${encodeURIComponent('2012 Hurricane Sandy')}`);
    await page.getByTestId('volume-chart').waitFor();
    await expect.poll(() => page.locator('body').textContent(), { timeout: 10_000 }).toMatch(/UTC/u);
    expect(await page.locator('body').textContent()).not.toMatch(isoLike);
  });

  it('shows hostile event names and keywords as text, under a strict Content-Security-Policy', async () => {
    const name = '<img src=x onerror=alert(1)>';
    expect((await v.api('POST', '/api/events', { name, keywords: ['<script>alert(2)</script>', '"><svg onload=alert(3)>'] })).status).toBe(201);
    const response = await page.goto(v.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const card = page.getByTestId(`card-${name}`);
    await expect.poll(() => card.locator('.card-title').textContent()).toBe(name);
    expect(await card.locator('.chips').textContent()).toContain('<script>alert(2)</script>');
    expect(await card.locator('img, svg[onload], script').count()).toBe(0);
    await page.goto(`${v.url}/#/events/${encodeURIComponent(name)}`);
    await page.getByTestId('kpi-posts').waitFor();
    expect(dialogs).toEqual([]);
    expect((await v.api('DELETE', `/api/events/${encodeURIComponent(name)}`)).status).toBe(204);
  });

  it('edits, pauses and deletes the event with confirmation', async () => {
    await page.goto(v.url);
    const card = page.getByTestId(`card-${EVENT}`);
    await card.getByRole('button', { name: 'Edit' }).click();
    const edit = card.getByTestId('edit-form');
    const kw = edit.getByRole('textbox').nth(1);
    await kw.fill('evacuate');
    await kw.press('Enter');
    await edit.getByRole('button', { name: 'remove flooding' }).click();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await v.api<{ keywords: string[] }>('GET', `/api/events/${encodeURIComponent(EVENT)}`)).body.keywords)
      .toEqual(['sandy', 'fema.gov', 'evacuate']);
    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => card.getByTestId('card-state').textContent()).toBe('paused');
    await card.getByRole('button', { name: 'Delete' }).click();
    await card.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.getByTestId(`card-${EVENT}`).count()).toBe(0);
    expect((await v.api('GET', `/api/events/${encodeURIComponent(EVENT)}`)).status).toBe(404);
  });

  it('splits a pasted list into one phrase each, counts a bulk list against the limit, and the API warns of a phrase holding a comma', async () => {
    await page.goto(v.url);
    const form = page.getByTestId('new-event-form');
    await form.getByLabel('Name').fill('Pasted');
    const kw = form.locator('#new-keywords');
    // typed with commas, then Enter
    await kw.fill('sandy, flooding');
    await kw.press('Enter');
    // pasted from a spreadsheet column
    await kw.evaluate((el, text) => {
      // in the page: the browser's own clipboard event (the tests are type-checked without the DOM library)
      const dom = globalThis as unknown as {
        DataTransfer: new () => { setData(type: string, value: string): void };
        ClipboardEvent: new (type: string, init: object) => Event;
      };
      const data = new dom.DataTransfer();
      data.setData('text', text);
      el.dispatchEvent(new dom.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, 'evacuate\nstorm surge, power outage\n');
    await form.getByText('Paste many (one phrase per line)').click();
    await form.getByLabel('phrases, one per line').fill('shelter\nFlooding\n\nred cross');
    await expect.poll(() => form.getByTestId('bulk-count').textContent()).toBe('3 to add; 7 / 400 in all');
    await form.getByRole('button', { name: 'Add 3 phrases' }).click();
    await form.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => page.getByTestId('card-Pasted').count()).toBe(1);
    expect((await v.api<{ keywords: string[] }>('GET', '/api/events/Pasted')).body.keywords).toEqual([
      'sandy',
      'flooding',
      'evacuate',
      'storm surge',
      'power outage',
      'shelter',
      'red cross',
    ]);
    // the API keeps a phrase with a comma (it may be meant) and says what it does
    const r = await v.api<{ warnings?: string[] }>('PATCH', '/api/events/Pasted', { keywords: ['sandy, flooding, evacuate'] });
    expect(r.status).toBe(200);
    expect(r.body.warnings?.[0]).toMatch(/keywords\[0\] "sandy, flooding, evacuate" holds a comma, so it is one phrase .* \["sandy","flooding","evacuate"\]/u);
    expect((await v.api('DELETE', '/api/events/Pasted')).status).toBe(204);
  });

  it('creates an event with an account, applied to the posts already collected: backfilled rows, progress and coverage on its page', async () => {
    await page.goto(v.url);
    const form = page.getByTestId('new-event-form');
    await form.getByLabel('Name').fill('Later');
    const kw = form.locator('#new-keywords');
    await kw.fill('sandy');
    await kw.press('Enter');
    await form.getByText('Accounts, places and languages').click();
    await form.getByLabel(/^Accounts/u).fill('@NYCGov');
    await form.getByLabel(/^Bounding boxes/u).fill('-74.3, 40.5, -73.7');
    await form.getByTestId('backfill').check();
    // the time input says which time it means, and in which zone
    expect(await form.getByTestId('backfill-zone').textContent()).toMatch(/^\(collection time, your time, UTC[+−]\d\d:\d\d\)$/u);
    await form.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => form.getByTestId('error-boxes').textContent()).toContain('boxes[0]: must be [west, south, east, north]');
    await form.getByLabel(/^Bounding boxes/u).fill('-74.3, 40.5, -73.7, 40.9');
    await form.getByRole('button', { name: 'Create event' }).click();
    const card = page.getByTestId('card-Later');
    await expect.poll(() => card.textContent()).toContain('@nycgov');
    const stats = async () => (await v.api<{ count: number }>('GET', '/api/events/Later/stats')).body.count;
    await expect.poll(stats, { timeout: 20_000 }).toBeGreaterThan(0);

    await page.goto(`${v.url}/#/events/Later`);
    const panel = page.getByTestId('reclassify');
    await expect.poll(() => panel.getByTestId('reclassify-state').textContent(), { timeout: 20_000 }).toBe('done');
    expect(Number((await panel.getByTestId('reclassify-rows').textContent())?.replace(/\D/gu, ''))).toBe(await stats());
    // the rows it added, not only the rows it wrote: a new event held none before
    expect(Number((await panel.getByTestId('reclassify-added').textContent())?.replace(/\D/gu, ''))).toBe(await stats());
    expect(await panel.textContent()).toMatch(/of them new/u);
    const backfilled = await v.api<{ rows: { n: number }[] }>('POST', '/api/query', {
      sql: "SELECT count(*)::INT AS n FROM tweet WHERE event_name = 'Later' AND backfilled",
    });
    expect(backfilled.body.rows[0].n).toBe(await stats());
    // each newest post says why it belongs to the event, and that it was backfilled
    await expect.poll(() => page.getByTestId('tail-matched').first().textContent()).toMatch(/matched keyword:sandy in (text|hashtag)/u);
    expect(await page.getByTestId('tail').textContent()).toContain('backfilled');
    // a replay is not live collection: the coverage panel says so
    await expect.poll(() => page.getByTestId('coverage').textContent()).toContain('No live source connection was recorded');
    // the sample's cut-off line holds none of the event's keywords: whatever the window holds, none is this event's
    expect(await page.getByTestId('coverage-rejects').textContent()).toMatch(
      /Rejected lines in the window: \d+ from any source, 0 of them holding one of this event's keywords/u,
    );
    // said once, with where the posts came from and when they were posted; no legend without a timeline
    const coverage = (await page.getByTestId('coverage').textContent()) ?? '';
    expect(coverage.split('No live source connection').length - 1).toBe(1);
    expect(coverage).toMatch(
      /posts came from archives \(replays, imports\), posted between 2012-10-29 \d\d:\d\d:\d\d UTC and 2012-10-29 \d\d:\d\d:\d\d UTC \(post time\)/u,
    );
    expect(await page.getByTestId('coverage-legend').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'reclassify.png'), fullPage: true });
  });
  it('looks finished: the background reaches the bottom, placeholders read as examples, long names wrap instead of widening the page', async () => {
    const long = `nightly/${'very-long-export-path'.repeat(4)}`.slice(0, 100);
    await page.setViewportSize({ width: 480, height: 1400 });
    await page.goto(`${v.url}/#/access`);
    await page.getByLabel('token label').waitFor();
    const look = await page.locator('html').evaluate((html) => {
      const doc = html.ownerDocument;
      type El = typeof html;
      const css = (el: El | null, prop: string, pseudo?: string): string =>
        el && doc.defaultView ? doc.defaultView.getComputedStyle(el, pseudo).getPropertyValue(prop) : '';
      return {
        html: css(html, 'background-color'),
        body: css(doc.body, 'background-color'),
        // what is painted below a short page: the root element's background (Pico gives it its own colour)
        below: css(doc.elementFromPoint(10, (doc.defaultView?.innerHeight ?? 0) - 2) ?? html, 'background-color'),
        placeholder: css(doc.querySelector('input[placeholder]'), 'font-style', '::placeholder'),
      };
    });
    expect(look.html).toBe(look.body);
    expect(look.html).not.toBe('rgba(0, 0, 0, 0)');
    expect([look.body, 'rgba(0, 0, 0, 0)']).toContain(look.below);
    expect(look.placeholder).toBe('italic');
    // a long unbroken name in a table cell wraps: the page is no wider than the window
    await page.getByLabel('token label').fill(long);
    await page.getByRole('button', { name: /create token/iu }).click();
    await page.getByText(long.slice(0, 40)).first().waitFor();
    expect(await page.locator('html').evaluate((html) => html.scrollWidth <= html.clientWidth)).toBe(true);
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});

// An event keeps its identity through a rename: every row it stored follows it (the card, SQL, exports, manifest and
// networks see them under the new name), later posts join them without duplicates, and a deleted event's rows stay
// listed until an administrator purges them.

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const OLD = 'Sandy';
const NEW = '2012 Hurricane Sandy';
const path = (name: string, rest = ''): string => `/api/events/${encodeURIComponent(name)}${rest}`;

function archive(dir: string, name: string, ids: number[]): string {
  const file = join(dir, name);
  const lines = ids.map((i) =>
    line(
      tweet({
        id: String(1000 + i),
        text: `sandy flooding report ${i} @fema`,
        mentions: ['fema'],
        createdAt: `2012-10-29T${String(10 + (i % 10)).padStart(2, '0')}:00:00Z`,
      }),
    ),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('a stable event identity', () => {
  let v: VigilProcess;
  let dir: string;
  const count = async (name: string): Promise<number> => (await v.api<{ count: number }>('GET', path(name, '/stats'))).body.count;
  const sql = async <T>(q: string): Promise<T[]> => (await v.api<{ rows: T[] }>('POST', '/api/query', { sql: q })).body.rows;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-identity-'));
    v = await startVigil(['--data', join(dir, 'data')]);
  });
  afterAll(async () => {
    await v?.stop();
  });

  it('a rename keeps every row under the new name, in SQL, exports, the manifest and networks; later posts join them once', async () => {
    const created = await v.api<{ id: string }>('POST', '/api/events', { name: OLD, keywords: ['sandy', 'flooding'] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/u);
    expect((await v.replay(archive(dir, 'first.jsonl', [1, 2, 3, 4, 5, 6, 7, 8]))).status).toBe(202);
    await waitFor('8 rows', async () => (await count(OLD)) === 8);

    const renamed = await v.api<{ id: string; name: string }>('PUT', path(OLD), { name: NEW, keywords: ['sandy', 'flooding'], active: true });
    expect(renamed.body).toMatchObject({ id, name: NEW });
    // No posts arrive: the rows move all the same, before the rename answers (the classifier runs in this process).
    expect((await v.api<{ count: number }>('GET', path(NEW, '/stats'))).body.count).toBe(8);
    expect((await v.api('GET', path(OLD, '/stats'))).status).toBe(404);
    expect(await sql('SELECT event_name, event_id::VARCHAR AS event_id, count(*)::INT AS n FROM tweet GROUP BY ALL')).toEqual([
      { event_name: NEW, event_id: id, n: 8 },
    ]);
    expect((await v.api<Record<string, { count: number }>>('GET', '/api/overview')).body[NEW].count).toBe(8);
    const csv = await (await v.fetch(`${path(NEW, '/export')}?format=csv&raw=exclude`)).text();
    expect(csv.trim().split('\n')).toHaveLength(9);
    const manifest = (await v.api<{ event: { id: string; name: string }; keywordHistory: { action: string }[] }>('GET', path(NEW, '/manifest'))).body;
    expect(manifest.event).toMatchObject({ id, name: NEW });
    expect(manifest.keywordHistory.map((h) => h.action)).toEqual(['created', 'renamed']);
    const network = await v.fetch(`${path(NEW, '/network')}?type=mention&format=csv`);
    expect(network.status).toBe(200);
    expect(await network.text()).toMatch(/fema/u);

    // Posts after the rename, some of them stored before it: each post is one row.
    expect((await v.replay(archive(dir, 'second.jsonl', [7, 8, 9, 10]))).status).toBe(202);
    await waitFor('10 rows', async () => (await count(NEW)) === 10);
    expect(await sql("SELECT count(*)::INT AS n, count(DISTINCT t_id)::INT AS posts FROM tweet WHERE event_name <> 'x'")).toEqual([{ n: 10, posts: 10 }]);
  });

  it("a deleted event's rows stay listed until purged by an administrator; the same name defined again takes them back", async () => {
    expect((await v.api('DELETE', path(NEW))).status).toBe(204);
    expect((await v.api('GET', '/api/stored-events')).body).toEqual([{ name: NEW, count: 10, defined: false }]);
    expect(await count(NEW)).toBe(10);

    const again = await v.api<{ id: string }>('POST', '/api/events', { name: NEW, keywords: ['sandy'] });
    expect(again.status).toBe(201);
    expect(await sql<{ id: string }>('SELECT DISTINCT event_id::VARCHAR AS id FROM tweet')).toEqual([{ id: again.body.id }]);
    expect((await v.api('GET', '/api/stored-events')).body).toEqual([{ name: NEW, count: 10, defined: true }]);
    const defined = await v.api<{ error: string }>('DELETE', path(NEW, '/rows'));
    expect(defined.status).toBe(409);
    expect(defined.body.error).toMatch(/delete/u);

    expect((await v.api('DELETE', path(NEW))).status).toBe(204);
    const analyst = (await v.api<{ token: string }>('POST', '/api/tokens', { label: 'analyst', role: 'analyst' })).body.token;
    expect((await v.api('DELETE', path(NEW, '/rows'), undefined, analyst)).status).toBe(403);
    expect(await count(NEW)).toBe(10);
    expect((await v.api('DELETE', path('No such event', '/rows'))).status).toBe(404);
  });

  it('the events page keeps the count on the card through a rename, and lists and purges a deleted event rows', async () => {
    expect((await v.api('POST', '/api/events', { name: 'Floods', keywords: ['flooding'] })).status).toBe(201);
    expect((await v.replay(archive(dir, 'third.jsonl', [1, 2, 3]))).status).toBe(202);
    await waitFor('3 rows of Floods', async () => (await count('Floods')) === 3);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(v.signInLink()!);
      await page.goto(`${v.url}/#/`);
      const card = page.locator('article', { has: page.getByRole('link', { name: 'Floods', exact: true }) });
      await expect.poll(() => card.getByTestId('card-count').textContent(), { timeout: 10_000 }).toBe('3');
      await card.getByRole('button', { name: 'Edit' }).click();
      const nameInput = card.getByLabel('Name');
      await nameInput.fill('Floods 2012');
      await card.getByRole('button', { name: /save/iu }).click();
      const renamedCard = page.locator('article', { has: page.getByRole('link', { name: 'Floods 2012', exact: true }) });
      await expect.poll(() => renamedCard.getByTestId('card-count').textContent(), { timeout: 15_000 }).toBe('3');

      // The deleted event's page shows its posts, says it is not defined, and asks nothing that would answer 404.
      const notFound: string[] = [];
      page.on('response', (r) => {
        if (r.status() === 404) notFound.push(r.url());
      });
      await page.goto(`${v.url}/#/events/${encodeURIComponent(NEW)}`);
      await page.getByTestId('not-defined').waitFor({ timeout: 10_000 });
      await page.getByTestId('volume-chart').waitFor();
      await page.waitForTimeout(2500);
      expect(notFound).toEqual([]);
      await page.goto(`${v.url}/#/`);

      // The deleted event's rows, listed with their count; purged after a confirmation.
      const orphan = page.getByTestId('stored-without-event');
      await expect.poll(() => orphan.textContent(), { timeout: 15_000 }).toContain(NEW);
      expect(await orphan.textContent()).toContain('10 posts stored');
      await orphan.getByRole('button', { name: 'Purge…' }).click();
      await orphan.getByRole('button', { name: 'Yes, purge' }).click();
      await expect.poll(() => orphan.count(), { timeout: 10_000 }).toBe(0);
      await page.screenshot({ path: 'test-results/event-identity.png', fullPage: true });
    } finally {
      await browser.close();
    }
    expect((await v.api('GET', path(NEW, '/stats'))).status).toBe(404);
    expect((await v.api('GET', '/api/stored-events')).body).toEqual([{ name: 'Floods 2012', count: 3, defined: true }]);
    // The purge is in the audit log, with what it purged.
    const audit = (await v.api<{ action: string; target: string; status: number }[]>('GET', '/api/audit')).body;
    expect(audit.find((a) => a.target.includes(NEW) && a.action.includes('DELETE') && a.action.includes('/rows'))).toMatchObject({ status: 200 });
  });
});

// The behaviour every Bus must have; each implementation's test file runs this suite against it.

import { afterEach, describe, expect, it } from 'vitest';
import { type Bus, type BusMessage, TOPICS } from '../../../src/core/ports.js';
import { lineOf, realCases } from '../../helpers/real-payloads.js';

export interface BusFactory {
  /**
   * Opens a bus on fresh storage for one test; `reopen` opens the same storage again (a restart). `warn` receives the
   * bus's warnings (default: none kept).
   */
  fresh(o?: { warn?: (msg: string) => void }): Promise<{ bus: Bus; reopen(): Promise<Bus> }>;
  /** How long a new subscription needs before it receives (joining a consumer group takes a moment). */
  settleMs?: number;
}

/** Values grouped by key, each in the order received: what a bus must keep (order per key). */
function perKey(ms: BusMessage[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of ms) {
    out[m.key ?? ''] ??= [];
    out[m.key ?? ''].push(m.value ?? '');
  }
  return out;
}

const recs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` }));

function collect(bus: Bus, topic: string, group: string, until: number, options = {}): Promise<BusMessage[]> {
  const got: BusMessage[] = [];
  return new Promise((resolve, reject) => {
    bus
      .subscribe(
        topic,
        group,
        async (batch) => {
          got.push(...batch);
          if (got.length >= until) resolve(got);
        },
        options,
      )
      .then((sub) => {
        open.push(sub);
      }, reject);
  });
}
const open: { stop(): Promise<void> }[] = [];

/** Resolves once `cond` holds, checking every 20 ms; fails after `ms`. */
async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function busContract(name: string, factory: BusFactory): void {
  describe(`Bus contract: ${name}`, () => {
    afterEach(async () => {
      for (const s of open.splice(0)) await s.stop();
    });

    it('scans a topic from a time to the end it had when the scan began, with progress, outside any group', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(30));
      await new Promise((r) => setTimeout(r, 50));
      const since = Date.now();
      await new Promise((r) => setTimeout(r, 20));
      await bus.publish(TOPICS.raw, recs(25, 30));
      const got: BusMessage[] = [];
      const progress: number[] = [];
      const n = await bus.scan(
        TOPICS.raw,
        since,
        async (batch, p) => {
          got.push(...batch);
          progress.push(p.done);
          expect(p.total).toBe(25);
          if (got.length === 10) await bus.publish(TOPICS.raw, recs(5, 100)); // published during the scan: not read
        },
        { maxBatch: 10 },
      );
      expect(n).toBe(25);
      expect(got.map((m) => m.value).sort()).toEqual(
        recs(25, 30)
          .map((r) => r.value)
          .sort(),
      );
      expect(progress[progress.length - 1]).toBe(25);
      // nothing at or after a time in the future; and a scan leaves the groups' offsets alone
      expect(await bus.scan(TOPICS.raw, Date.now() + 60_000, async () => undefined)).toBe(0);
      expect(await bus.lag(TOPICS.raw, 'never-subscribed')).toBe(60);
      await bus.close();
    });

    it('delivers every published message to a new group once, from the first, keeping the order of each key', async () => {
      const { bus } = await factory.fresh();
      const records = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 4}`, value: `v${i}` }));
      await bus.publish(TOPICS.raw, records);
      const got = await collect(bus, TOPICS.raw, 'g', 60);
      expect(got).toHaveLength(60);
      expect(perKey(got)).toEqual(perKey(records.map((r, i) => ({ ...r, topic: TOPICS.raw, partition: 0, offset: i, timestamp: 0 }))));
      await bus.close();
    });

    it('carries where each record was read (its origin) to the subscriber, and none for a record published without one', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, [
        { key: 'k0', value: 'not json {', origin: 'archive é.jsonl:56' },
        { key: 'k1', value: '{"id_str":"1"}' },
        { key: null, value: 'x', origin: 'b.jsonl:1' },
      ]);
      const got = await collect(bus, TOPICS.raw, 'g-origin', 3);
      const byValue = new Map(got.map((m) => [m.value, m.origin]));
      expect(byValue.get('not json {')).toBe('archive é.jsonl:56');
      expect(byValue.get('{"id_str":"1"}')).toBeUndefined();
      expect(byValue.get('x')).toBe('b.jsonl:1');
      await bus.close();
    });

    it('a batch holds no more than maxBatchBytes of values, unless one message alone is larger; scans too', async () => {
      const { bus } = await factory.fresh();
      // 1,000-byte values, one of 5,000 bytes among them (a page of many posts), and a budget of 3,500 bytes.
      const sizes = [1000, 1000, 1000, 1000, 5000, 1000, 1000, 1000, 1000, 1000];
      await bus.publish(
        TOPICS.raw,
        sizes.map((n, i) => ({ key: 'one-key', value: `${i}`.padEnd(n, 'x') })),
      );
      const batches: number[][] = [];
      await new Promise<void>((resolve, reject) => {
        let seen = 0;
        bus
          .subscribe(
            TOPICS.raw,
            'g-bytes',
            async (batch) => {
              batches.push(batch.map((m) => (m.value ?? '').length));
              seen += batch.length;
              if (seen >= sizes.length) resolve();
            },
            { maxBatchBytes: 3500 },
          )
          .then((sub) => open.push(sub), reject);
      });
      expect(batches.flat()).toEqual(sizes);
      for (const b of batches) if (b.length > 1) expect(b.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(3500);
      expect(batches).toContainEqual([5000]);
      const scanned: number[][] = [];
      await bus.scan(TOPICS.raw, 0, async (batch) => void scanned.push(batch.map((m) => (m.value ?? '').length)), { maxBatchBytes: 3500 });
      expect(scanned.flat()).toEqual(sizes);
      for (const b of scanned) if (b.length > 1) expect(b.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(3500);
      await bus.close();
    });

    it('delivers messages published after the subscription started', async () => {
      const { bus } = await factory.fresh();
      const p = collect(bus, TOPICS.raw, 'g', 3);
      await new Promise((r) => setTimeout(r, factory.settleMs ?? 0));
      await bus.publish(TOPICS.raw, recs(3));
      expect((await p).map((m) => m.value).sort()).toEqual(['v0', 'v1', 'v2']);
      await bus.close();
    });

    it('publishes made at the same time (handlers in flight side by side) all land, and publishing goes on after', async () => {
      const { bus } = await factory.fresh();
      await Promise.all(
        Array.from({ length: 20 }, (_, k) => Promise.all([bus.publish(TOPICS.raw, recs(50, k * 50)), bus.publish(TOPICS.rejects, recs(2, k * 2))])),
      );
      await bus.publish(TOPICS.rejects, recs(1, 40));
      expect(await bus.lag(TOPICS.raw, 'nobody')).toBe(1000);
      expect(await bus.lag(TOPICS.rejects, 'nobody')).toBe(41);
      await bus.close();
    });

    it('keeps keys, tombstones (null values) and the newest state on the events topic', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.events, [
        { key: 'Sandy', value: '{"name":"Sandy"}' },
        { key: 'Sandy', value: null },
        { key: '/state', value: 'S' },
      ]);
      const got = await collect(bus, TOPICS.events, 'g', 3);
      expect(got.map((m) => [m.key, m.value])).toEqual([
        ['Sandy', '{"name":"Sandy"}'],
        ['Sandy', null],
        ['/state', 'S'],
      ]);
      expect((await bus.latest(TOPICS.events))?.value).toBe('S');
      await bus.close();
    });

    it('keeps null keys and unicode values unchanged', async () => {
      const { bus } = await factory.fresh();
      const value = '{"text":"地震 🌊 \\u0000 \\r"}';
      await bus.publish(TOPICS.raw, [{ key: null, value }]);
      const [m] = await collect(bus, TOPICS.raw, 'g', 1);
      expect(m.key).toBeNull();
      expect(m.value).toBe(value);
      await bus.close();
    });

    it('a value published as bytes (a view into a larger buffer) arrives as the same bytes and, decoded, the same text', async () => {
      const { bus } = await factory.fresh();
      const lines = ['{"text":"Überschwemmung 洪水 🌊"}', '{"text":"plain"}', ''];
      const block = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      const views: Uint8Array[] = [];
      let start = 0;
      for (const line of lines) {
        const length = Buffer.byteLength(line, 'utf8');
        views.push(new Uint8Array(block.buffer, block.byteOffset + start, length));
        start += length + 1;
      }
      await bus.publish(
        TOPICS.raw,
        views.map((value, i) => ({ key: `k${i}`, value })),
      );
      const got = new Map((await collect(bus, TOPICS.raw, 'g-bytes', lines.length)).map((m) => [m.key, m]));
      lines.forEach((line, i) => {
        const m = got.get(`k${i}`);
        expect(m?.value).toBe(line);
        if (m?.bytes) expect(Buffer.from(m.bytes).toString('utf8')).toBe(line);
      });
      await bus.close();
    });

    it('carries every real payload line (test/fixtures/real/) byte for byte', async () => {
      const { bus } = await factory.fresh();
      const records = realCases().map((c) => ({ key: c.name, value: lineOf(c.expected.payload) }));
      await bus.publish(TOPICS.raw, records);
      const got = await collect(bus, TOPICS.raw, 'g-real', records.length);
      expect(new Map(got.map((m) => [m.key, m.value]))).toEqual(new Map(records.map((r) => [r.key, r.value])));
      expect(got).toHaveLength(records.length);
      await bus.close();
    });

    it('latest returns the newest message of a topic, or null when empty', async () => {
      const { bus } = await factory.fresh();
      expect(await bus.latest(TOPICS.events)).toBeNull();
      await bus.publish(TOPICS.events, [{ key: 'state', value: 'one' }]);
      await bus.publish(TOPICS.events, [{ key: 'state', value: 'two' }]);
      expect((await bus.latest(TOPICS.events))?.value).toBe('two');
      await bus.close();
    });

    it('latest, asked again and again, follows every newer message (a bus may keep what it read until the topic grows)', async () => {
      const { bus } = await factory.fresh();
      for (const value of ['one', 'two', 'three']) {
        await bus.publish(TOPICS.events, [{ key: 'state', value }]);
        expect((await bus.latest(TOPICS.events))?.value).toBe(value);
        expect((await bus.latest(TOPICS.events))?.value).toBe(value);
      }
      // Another topic growing leaves this one's newest message as it is.
      await bus.publish(TOPICS.raw, [{ key: 'k', value: 'raw' }]);
      expect((await bus.latest(TOPICS.events))?.value).toBe('three');
      await bus.close();
    });

    it('a group resumes after its committed offset when reopened: nothing lost, nothing repeated', async () => {
      const { bus, reopen } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(4));
      await collect(bus, TOPICS.raw, 'g', 4);
      for (const s of open.splice(0)) await s.stop();
      await bus.close();
      const again = await reopen();
      await again.publish(TOPICS.raw, recs(2, 4));
      const got = await collect(again, TOPICS.raw, 'g', 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(got.map((m) => m.value).sort()).toEqual(['v4', 'v5']);
      await again.close();
    });

    it('what publish acknowledged survives a reopen', async () => {
      const { bus, reopen } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(100));
      await bus.close();
      const again = await reopen();
      expect((await collect(again, TOPICS.raw, 'fresh-group', 100)).length).toBe(100);
      await again.close();
    });

    it('groups are independent', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(3));
      const [a, b] = await Promise.all([collect(bus, TOPICS.raw, 'a', 3), collect(bus, TOPICS.raw, 'b', 3)]);
      expect(a.map((m) => m.value).sort()).toEqual(b.map((m) => m.value).sort());
      await bus.close();
    });

    it('a group starting at latest sees only new messages', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(3));
      const p = collect(bus, TOPICS.raw, 'late', 1, { from: 'latest' });
      await new Promise((r) => setTimeout(r, 50 + (factory.settleMs ?? 0)));
      await bus.publish(TOPICS.raw, recs(1, 3));
      expect((await p).map((m) => m.value)).toEqual(['v3']);
      await bus.close();
    });

    it('a batch whose handler fails is delivered again, and nothing after it is skipped', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(3));
      let failures = 0;
      const seen: string[] = [];
      await new Promise<void>((resolve) => {
        void bus
          .subscribe(TOPICS.raw, 'flaky', async (batch) => {
            if (failures === 0) {
              failures++;
              throw new Error('store unavailable');
            }
            seen.push(...batch.map((m) => m.value ?? ''));
            if (seen.length >= 3) resolve();
          })
          .then((s) => open.push(s));
      });
      expect(failures).toBe(1);
      expect(seen.sort()).toEqual(['v0', 'v1', 'v2']);
      await bus.close();
    });

    it('inFlight 3: the next batches start before the oldest is done, no more than 3, and only finished runs are committed', async () => {
      const { bus, reopen } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(30));
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started = 0;
      let oldestDone = false;
      const startedBeforeOldestDone: number[] = [];
      const seen = new Set<string>();
      const sub = await bus.subscribe(
        TOPICS.raw,
        'pipelined',
        async (batch) => {
          const n = ++started;
          if (!oldestDone) startedBeforeOldestDone.push(n);
          if (n === 1) {
            await held; // a slow store: the oldest batch takes a while
            oldestDone = true;
          }
          for (const m of batch) seen.add(m.value ?? '');
        },
        { maxBatch: 5, inFlight: 3 },
      );
      open.push(sub);
      try {
        await until(() => started >= 3, 15_000 + (factory.settleMs ?? 0));
        await new Promise((r) => setTimeout(r, 300));
        // Batches 2 and 3 ran (and finished) while batch 1 is held, and no fourth one was handed out.
        expect(startedBeforeOldestDone).toEqual([1, 2, 3]);
        // Nothing is committed past an unfinished batch: a crash now would deliver everything again, losing nothing.
        expect(await bus.lag(TOPICS.raw, 'pipelined')).toBe(30);
      } finally {
        release();
      }
      await until(() => seen.size === 30, 15_000);
      await until(async () => (await bus.lag(TOPICS.raw, 'pipelined')) === 0, 10_000);
      await sub.stop();
      await bus.close();
      // After a restart the group goes on after its committed offsets: nothing lost, nothing repeated.
      const again = await reopen();
      await again.publish(TOPICS.raw, recs(4, 30));
      const got = await collect(again, TOPICS.raw, 'pipelined', 4, { maxBatch: 5, inFlight: 3 });
      await new Promise((r) => setTimeout(r, 300));
      expect(got.map((m) => m.value).sort()).toEqual(['v30', 'v31', 'v32', 'v33']);
      await again.close();
    });

    it('reads no batch before readWhen resolves, so a handler can pace reading by its own work', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(12));
      let openGate: () => void = () => undefined;
      let gates = 0;
      const readWhen = () =>
        new Promise<void>((r) => {
          gates++;
          openGate = r;
        });
      const seen: string[] = [];
      let batches = 0;
      const sub = await bus.subscribe(
        TOPICS.raw,
        'paced',
        async (batch) => {
          batches++;
          seen.push(...batch.map((m) => m.value ?? ''));
        },
        { maxBatch: 5, inFlight: 4, readWhen },
      );
      open.push(sub);
      await until(() => gates === 1, 15_000 + (factory.settleMs ?? 0));
      await new Promise((r) => setTimeout(r, 300));
      expect(batches).toBe(0);
      // Each opening lets exactly one batch through.
      while (seen.length < 12) {
        const before = batches;
        openGate();
        await until(() => batches === before + 1, 15_000);
        await new Promise((r) => setTimeout(r, 100));
        expect(batches).toBe(before + 1);
      }
      expect(seen.sort()).toEqual(
        recs(12)
          .map((r) => r.value)
          .sort(),
      );
    });

    it('tells the handler of the last batch of a backlog that nothing more was waiting', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(12));
      const got: { n: number; more: boolean }[] = [];
      const sub = await bus.subscribe(TOPICS.raw, 'backlog', async (batch, moreWaiting) => void got.push({ n: batch.length, more: moreWaiting }), {
        maxBatch: 5,
      });
      open.push(sub);
      await until(() => got.reduce((a, b) => a + b.n, 0) === 12, 15_000 + (factory.settleMs ?? 0));
      expect(got.at(-1)?.more).toBe(false);
      // Every batch that said more was waiting was followed by another.
      expect(got.slice(0, -1).every((b) => b.n > 0)).toBe(true);
    });

    it('inFlight 3: a batch that fails while later ones are in flight is delivered again from there, nothing skipped', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(30));
      let calls = 0;
      const handled = new Map<string, number>();
      const sub = await bus.subscribe(
        TOPICS.raw,
        'pipelined-flaky',
        async (batch) => {
          if (++calls === 1) {
            await new Promise((r) => setTimeout(r, 100)); // batches 2 and 3 are handled meanwhile
            throw new Error('Out of Memory Error: failed to allocate block');
          }
          for (const m of batch) handled.set(m.value ?? '', (handled.get(m.value ?? '') ?? 0) + 1);
        },
        { maxBatch: 5, inFlight: 3 },
      );
      open.push(sub);
      await until(() => handled.size === 30, 20_000 + (factory.settleMs ?? 0));
      await until(async () => (await bus.lag(TOPICS.raw, 'pipelined-flaky')) === 0, 10_000);
      expect([...handled.keys()].sort()).toEqual(
        recs(30)
          .map((r) => r.value)
          .sort(),
      );
      // At least once: only the batches that were in flight beside the failed one can have been handled twice.
      expect([...handled.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(10);
      await bus.close();
    });

    it('a handler that keeps failing is retried with growing, jittered waits, each failure logged with attempt and reason', async () => {
      const warnings: string[] = [];
      const { bus } = await factory.fresh({ warn: (m) => warnings.push(m) });
      await bus.publish(TOPICS.raw, recs(3));
      let calls = 0;
      let handledAt = 0;
      const sub = await bus.subscribe(TOPICS.raw, 'failing', async () => {
        if (++calls <= 5) throw new Error(`the store is down (${calls})`);
        handledAt = calls;
      });
      open.push(sub);
      await until(() => handledAt > 0, 20_000 + (factory.settleMs ?? 0));
      const failures = warnings.filter((w) => /handler .* failed/u.test(w));
      expect(failures).toHaveLength(5);
      for (const [i, w] of failures.entries()) expect(w).toContain(`attempt ${i + 1}: the store is down (${i + 1})`);
      // The factories start at 10 ms (file log) or 100 ms (Kafka): each wait about double the one before, ±20 %.
      const delays = failures.map((w) => Number(/in (\d+) ms/u.exec(w)?.[1]));
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] * 1.3);
      expect(handledAt).toBe(6);
      await bus.close();
    });

    it('a subscription says while its handler keeps failing why, how many times and since when, and nothing once handled', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(2));
      let calls = 0;
      const seen: ({ reason: string; attempts: number; since: string; retryAt: string } | null)[] = [];
      let sub: { failing(): (typeof seen)[number] } | null = null;
      let handled = false;
      sub = await bus.subscribe(TOPICS.raw, 'failing-status', async () => {
        seen.push(sub?.failing() ?? null);
        if (++calls <= 3) throw new Error(`disk full (${calls})`);
        handled = true;
      });
      open.push(sub as unknown as { stop(): Promise<void> });
      await until(() => handled, 20_000 + (factory.settleMs ?? 0));
      // What each delivery saw before it ran: nothing, then the failures so far, in one run since the first.
      expect(seen[0]).toBeNull();
      expect(seen.slice(1, 4).map((f) => [f?.attempts, f?.reason])).toEqual([
        [1, 'disk full (1)'],
        [2, 'disk full (2)'],
        [3, 'disk full (3)'],
      ]);
      expect(new Set(seen.slice(1, 4).map((f) => f?.since)).size).toBe(1);
      for (const f of seen.slice(1, 4)) expect(Date.parse(f?.retryAt ?? '')).toBeGreaterThan(Date.parse(f?.since ?? ''));
      await until(() => sub?.failing() === null, 5_000);
      await bus.close();
    });

    it('reports the lag of a group', async () => {
      const { bus } = await factory.fresh();
      await bus.publish(TOPICS.raw, recs(10));
      expect(await bus.lag(TOPICS.raw, 'nobody')).toBe(10);
      await collect(bus, TOPICS.raw, 'g', 10);
      await new Promise((r) => setTimeout(r, 300));
      for (const s of open.splice(0)) await s.stop();
      expect(await bus.lag(TOPICS.raw, 'g')).toBe(0);
      await bus.close();
    });
  });
}

import { appendFile, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { TOPICS } from '../../src/core/ports.js';
import { busContract } from './suites/bus-contract.js';

const quiet = () => undefined;

busContract('embedded file log', {
  async fresh({ warn = quiet } = {}) {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
    return { bus: await FileLogBus.open({ dir, warn, retryDelayMs: 10 }), reopen: () => FileLogBus.open({ dir, warn, retryDelayMs: 10 }) };
  },
});

describe('embedded file log: one partition', () => {
  it('tells the handler, batch by batch, whether more of a backlog was waiting to be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
    const bus = await FileLogBus.open({ dir, warn: quiet });
    await bus.publish(
      TOPICS.raw,
      Array.from({ length: 12 }, (_, i) => ({ key: null, value: String(i) })),
    );
    const got: [number, boolean][] = [];
    await new Promise<void>((resolve) => {
      void bus.subscribe(
        TOPICS.raw,
        'g',
        async (batch, moreWaiting) => {
          got.push([batch.length, moreWaiting]);
          if (got.length === 3) resolve();
        },
        { maxBatch: 5 },
      );
    });
    await bus.close();
    expect(got).toEqual([
      [5, true],
      [5, true],
      [2, false],
    ]);
  });

  it('delivers in publish order with consecutive offsets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
    const bus = await FileLogBus.open({ dir, warn: quiet });
    await bus.publish(TOPICS.raw, [
      { key: 'b', value: '1' },
      { key: 'a', value: '2' },
      { key: null, value: '3' },
    ]);
    const got: [number, string | null][] = [];
    await new Promise<void>((resolve) => {
      void bus.subscribe(TOPICS.raw, 'g', async (batch) => {
        got.push(...batch.map((m): [number, string | null] => [m.offset, m.value]));
        if (got.length === 3) resolve();
      });
    });
    expect(got).toEqual([
      [0, '1'],
      [1, '2'],
      [2, '3'],
    ]);
    await bus.close();
  });
});

describe('embedded file log: crash recovery', () => {
  it('cuts a torn last write on open and keeps every complete record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
    const bus = await FileLogBus.open({ dir, warn: quiet });
    await bus.publish(TOPICS.raw, [
      { key: null, value: 'a' },
      { key: null, value: 'b' },
    ]);
    await bus.close();
    const file = join(dir, `${TOPICS.raw}.log`);
    const good = (await stat(file)).size;
    await appendFile(file, Buffer.from([40, 0, 0, 0, 1, 2, 3]));
    const warnings: string[] = [];
    const again = await FileLogBus.open({ dir, warn: (m) => warnings.push(m) });
    expect((await again.latest(TOPICS.raw))?.value).toBe('b');
    expect((await stat(file)).size).toBe(good);
    expect(warnings.join()).toMatch(/incomplete last write/);
    await again.publish(TOPICS.raw, [{ key: null, value: 'c' }]);
    expect((await again.latest(TOPICS.raw))?.offset).toBe(2);
    await again.close();
  });

  it('reads across the sparse index and buffer boundaries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
    const bus = await FileLogBus.open({ dir, warn: quiet });
    const big = 'x'.repeat(300_000);
    const records = Array.from({ length: 1000 }, (_, i) => ({ key: String(i), value: i % 97 === 0 ? big + i : `v${i}` }));
    await bus.publish(TOPICS.raw, records);
    await bus.close();
    const again = await FileLogBus.open({ dir, warn: quiet });
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      void again.subscribe(
        TOPICS.raw,
        'g',
        async (b) => {
          got.push(...b.map((m) => m.value ?? ''));
          if (got.length === 1000) resolve();
        },
        { maxBatch: 333 },
      );
    });
    expect(got).toEqual(records.map((r) => r.value));
    await again.close();
    expect(JSON.parse(await readFile(join(dir, 'offsets.json'), 'utf8'))).toEqual({ [`${TOPICS.raw}|g`]: 1000 });
  });
});

// The embedded bus writes a group's offsets (a small file, fsynced) after its handler is done with a batch. A store
// that groups commits settles hundreds of batches at once: their offsets go in one write, not one write each in turn
// (0.7 s after the last commit of a 200,000-post import).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { TOPICS } from '../../src/core/ports.js';

// Every write of the offsets file, counted; the write itself is the real one.
const offsetWrites = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/util/atomic-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/atomic-file.js')>();
  return {
    ...real,
    writeJsonAtomic: (path: string, value: unknown) => {
      if (path.endsWith('offsets.json')) offsetWrites.count++;
      return real.writeJsonAtomic(path, value);
    },
  };
});

const quiet = () => undefined;

async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 10));
}

/** A bus in a new directory holding `n` records on the raw topic. */
async function busWith(n: number) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-offsets-'));
  const bus = await FileLogBus.open({ dir, warn: quiet, retryDelayMs: 10 });
  await bus.publish(
    TOPICS.raw,
    Array.from({ length: n }, (_, i) => ({ key: null, value: String(i) })),
  );
  return { dir, bus };
}

/** Handlers wait on `held` until `release` (as a grouped commit settles its writes all at once). */
function gate() {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { held, release };
}

describe('embedded bus: offsets of batches handled together', () => {
  it('are committed in one write, up to the last of them, and none is delivered again', async () => {
    const { dir, bus } = await busWith(50);
    // Ten batches handed out and held, then all settled at once.
    const { held, release } = gate();
    let handed = 0;
    const sub = await bus.subscribe(
      TOPICS.raw,
      'g',
      async () => {
        handed++;
        await held;
      },
      { maxBatch: 5, inFlight: 10 },
    );
    await until(async () => handed === 10);
    const before = offsetWrites.count;
    release();
    await until(async () => (await bus.lag(TOPICS.raw, 'g')) === 0);
    expect(await bus.lag(TOPICS.raw, 'g')).toBe(0);
    // The first batch's offset may be written before the others are seen to be done: at most two writes, not ten.
    expect(offsetWrites.count - before).toBeLessThanOrEqual(2);
    await sub.stop();
    await bus.close();

    const again = await FileLogBus.open({ dir, warn: quiet });
    let redelivered = 0;
    const sub2 = await again.subscribe(TOPICS.raw, 'g', async (batch) => {
      redelivered += batch.length;
    });
    await new Promise((r) => setTimeout(r, 100));
    await sub2.stop();
    await again.close();
    expect(redelivered).toBe(0);
  });

  it('a batch whose handler fails stops the commit there: the batches after it are delivered again', async () => {
    const { bus } = await busWith(15);
    const { held, release } = gate();
    const seen: number[] = [];
    let failed = false;
    const sub = await bus.subscribe(
      TOPICS.raw,
      'g',
      async (batch) => {
        seen.push(batch[0].offset);
        await held;
        // The middle batch fails once; the first commits, the middle and the last come again.
        if (batch[0].offset === 5 && !failed) {
          failed = true;
          throw new Error('store down');
        }
      },
      { maxBatch: 5, inFlight: 3 },
    );
    await until(async () => seen.length === 3);
    release();
    await until(async () => (await bus.lag(TOPICS.raw, 'g')) === 0);
    await sub.stop();
    await bus.close();
    expect(seen).toEqual([0, 5, 10, 5, 10]);
  });
});

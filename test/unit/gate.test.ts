// The gate that keeps long work (a person's queries, exports) from holding every thread of Node's pool.

import { describe, expect, it } from 'vitest';
import { Gate, GateTimeout } from '../../src/util/gate.js';
import { longWorkPermits, threadPoolSize } from '../../src/util/long-work.js';

/** A promise and the function that settles it. */
function latch(): { done: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { done, open };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('a gate', () => {
  it('lets no more than its permits run at once and the others in, in the order they came, as permits free', async () => {
    const gate = new Gate(2);
    const latches = [latch(), latch(), latch(), latch()];
    const started: number[] = [];
    const runs = latches.map((l, i) =>
      gate.run(async () => {
        started.push(i);
        await l.done;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ held: 2, waiting: 2 });
    latches[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    latches[0].open();
    latches[2].open();
    latches[3].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(gate.load).toEqual({ held: 0, waiting: 0 });
  });

  it('gives the permit back when the work fails', async () => {
    const gate = new Gate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
    expect(gate.load).toEqual({ held: 0, waiting: 0 });
  });

  /** Two ways a waiter leaves the line: how it is made to leave, and what its wait rejects with. */
  const leavings = [
    {
      how: 'its signal aborts',
      waiter: () => {
        const controller = new AbortController();
        return { wait: { signal: controller.signal }, leave: () => controller.abort('gave up'), rejection: 'gave up' as unknown };
      },
    },
    {
      how: 'its deadline passes',
      waiter: () => ({ wait: { deadline: performance.now() + 20 }, leave: () => undefined, rejection: expect.any(GateTimeout) as unknown }),
    },
  ];

  it.each(leavings)('lets a waiter leave the line without running when $how, and the next one takes the permit', async ({ waiter }) => {
    const gate = new Gate(1);
    const first = latch();
    const holding = gate.run(() => first.done);
    const { wait, leave, rejection } = waiter();
    let ran = false;
    const leaving = gate.run(async () => {
      ran = true;
    }, wait);
    const next = gate.run(() => Promise.resolve('next'));
    leave();
    await expect(leaving).rejects.toEqual(rejection);
    expect(gate.load).toEqual({ held: 1, waiting: 1 });
    first.open();
    await holding;
    expect(await next).toBe('next');
    expect(ran).toBe(false);
  });

  it('runs at once while a permit is free, whatever the deadline; refuses a full gate at once when it has passed', async () => {
    const gate = new Gate(1);
    expect(await gate.run(() => Promise.resolve('free'), { deadline: performance.now() - 1 })).toBe('free');
    const first = latch();
    const holding = gate.run(() => first.done);
    await expect(gate.run(() => Promise.resolve('late'), { deadline: performance.now() - 1 })).rejects.toBeInstanceOf(GateTimeout);
    expect(gate.load).toEqual({ held: 1, waiting: 0 });
    first.open();
    await holding;
  });

  it('refuses to start with no permit', () => {
    expect(() => new Gate(0)).toThrow('at least one permit');
  });
});

describe("long work's share of Node's pool", () => {
  it.each([
    [undefined, 4],
    ['2', 2],
    [' 8', 8],
    ['16abc', 16],
    ['0', 1],
    ['many', 1],
    ['-3', 1024],
    ['5000', 1024],
  ])('reads UV_THREADPOOL_SIZE %j as libuv does: %i threads', (setting, size) => {
    expect(threadPoolSize(setting)).toBe(size);
  });

  it('leaves two threads out of its reach, and keeps one permit on the smallest pools', () => {
    expect([1, 2, 3, 4, 8].map(longWorkPermits)).toEqual([1, 1, 1, 2, 6]);
  });
});

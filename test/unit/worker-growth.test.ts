// When the classifier's pool starts one more worker: only after a whole window in which every worker had work for
// most of the time and the machine left enough of a core idle, never past its most; batches go to the worker with
// the fewest waiting. A clock and an idle-CPU reading of the test's own (nothing here waits or reads the machine).

import { describe, expect, it } from 'vitest';
import { GROWTH_BUSY_SHARE, GROWTH_IDLE_CORES, GROWTH_WINDOW_MS, GrowthMeter, shouldGrow } from '../../src/roles/classifier/growth.js';

/** A meter over a clock and an idle-CPU counter the test moves: `idleCores` of the machine idle as time passes. */
function fakeMachine(max: number) {
  let now = 0;
  let idle = 0;
  let idleCores = 0;
  const meter = new GrowthMeter(
    max,
    () => idle,
    () => now,
  );
  return {
    meter,
    setIdleCores(n: number) {
      idleCores = n;
    },
    advance(ms: number) {
      now += ms;
      idle += ms * idleCores;
    },
  };
}

describe('shouldGrow', () => {
  it('grows only when every worker was busy enough, enough of a core idled, and the pool is below its most', () => {
    expect(shouldGrow(1, 2, [GROWTH_BUSY_SHARE], GROWTH_IDLE_CORES)).toBe(true);
    expect(shouldGrow(1, 2, [GROWTH_BUSY_SHARE - 0.01], 1)).toBe(false);
    expect(shouldGrow(1, 2, [1], GROWTH_IDLE_CORES - 0.01)).toBe(false);
    expect(shouldGrow(2, 2, [1, 1], 1)).toBe(false);
    expect(shouldGrow(2, 3, [1, 0.5], 1)).toBe(false);
    expect(shouldGrow(0, 2, [], 1)).toBe(false);
  });
});

describe('GrowthMeter', () => {
  it('asks for another worker after a window in which the only worker always had a batch while half a core idled', () => {
    const m = fakeMachine(2);
    m.meter.added();
    m.setIdleCores(0.5);
    m.meter.sent(0);
    m.advance(GROWTH_WINDOW_MS / 2);
    expect(m.meter.wantsAnother()).toBe(false);
    m.advance(GROWTH_WINDOW_MS / 2);
    expect(m.meter.wantsAnother()).toBe(true);
  });

  it('does not while the machine has no idle core, however busy the worker', () => {
    const m = fakeMachine(2);
    m.meter.added();
    m.setIdleCores(0.1);
    m.meter.sent(0);
    for (let i = 0; i < 5; i++) {
      m.advance(GROWTH_WINDOW_MS);
      expect(m.meter.wantsAnother()).toBe(false);
    }
  });

  it('does not while the worker waits for batches for more than a fifth of the window', () => {
    const m = fakeMachine(2);
    m.meter.added();
    m.setIdleCores(1);
    m.meter.sent(0);
    m.advance(GROWTH_WINDOW_MS * 0.7);
    m.meter.answered(0);
    m.advance(GROWTH_WINDOW_MS * 0.3);
    expect(m.meter.wantsAnother()).toBe(false);
  });

  it('counts a worker busy across windows in each of them', () => {
    const m = fakeMachine(3);
    m.meter.added();
    m.setIdleCores(1);
    m.meter.sent(0);
    m.advance(GROWTH_WINDOW_MS * 0.1);
    m.meter.answered(0);
    m.advance(GROWTH_WINDOW_MS * 0.9);
    expect(m.meter.wantsAnother()).toBe(false);
    m.meter.sent(0);
    m.advance(GROWTH_WINDOW_MS * 2);
    expect(m.meter.wantsAnother()).toBe(true);
  });

  it('needs every worker busy once there are two, and stops at its most', () => {
    const m = fakeMachine(2);
    m.meter.added();
    m.meter.added();
    m.setIdleCores(1);
    m.meter.sent(0);
    m.advance(GROWTH_WINDOW_MS);
    expect(m.meter.wantsAnother()).toBe(false);
    m.meter.sent(1);
    m.advance(GROWTH_WINDOW_MS);
    // Both busy the whole window, a core idle: but 2 is the most.
    expect(m.meter.wantsAnother()).toBe(false);
  });

  it('starts a new worker with a fresh window, so its first moments do not count as idle', () => {
    const m = fakeMachine(3);
    m.meter.added();
    m.setIdleCores(1);
    m.meter.sent(0);
    m.advance(GROWTH_WINDOW_MS * 0.9);
    m.meter.added();
    m.meter.sent(1);
    m.advance(GROWTH_WINDOW_MS);
    expect(m.meter.wantsAnother()).toBe(true);
  });

  it('sends each batch to the worker with the fewest waiting, the first of those tied', () => {
    const m = fakeMachine(3);
    m.meter.added();
    m.meter.added();
    m.meter.added();
    const order: number[] = [];
    for (let i = 0; i < 5; i++) {
      const w = m.meter.leastBusy();
      order.push(w);
      m.meter.sent(w);
    }
    expect(order).toEqual([0, 1, 2, 0, 1]);
    m.meter.answered(2);
    expect(m.meter.leastBusy()).toBe(2);
  });
});

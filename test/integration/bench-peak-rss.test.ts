// A child's peak memory as the bench reads it is the child's own, however much its parent held when it spawned it
// (getrusage's maxrss, which the bench read before, started at the parent's resident size).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { peakRssMb } from '../../src/bench/peak-rss.js';

describe.runIf(process.platform === 'linux')('bench peak memory of a child process', () => {
  it('is its own, not the 256 MiB its parent held when spawning it', async () => {
    const held = Buffer.alloc(256 << 20, 1); // resident: every page written
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 500));
      const peak = peakRssMb(child.pid as number);
      expect(peak).toBeGreaterThan(5);
      expect(peak).toBeLessThan(200);
      expect(held[held.length - 1]).toBe(1);
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });
});

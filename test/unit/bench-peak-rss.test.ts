// The bench's peak memory figures are the measured process's own: Linux's maxrss counts its parent's memory at spawn.

import { describe, expect, it } from 'vitest';
import { vmHwmMb } from '../../src/bench/peak-rss.js';

describe('bench peak memory', () => {
  it("reads the process's own high-water mark (VmHWM, kB) from its /proc status, in MiB", () => {
    const status = 'Name:\tnode\nVmPeak:\t 1234567 kB\nVmHWM:\t  716800 kB\nVmRSS:\t  512000 kB\n';
    expect(vmHwmMb(status)).toBe(700);
    expect(vmHwmMb('Name:\tnode\nVmRSS:\t 512000 kB\n')).toBeUndefined();
  });
});

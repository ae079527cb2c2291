// A process's own peak resident memory, for the bench's memory figures. Linux's getrusage maxrss (Node's
// process.resourceUsage().maxRSS) keeps, across exec, the resident size of the process that forked it: a child
// spawned by a parent holding 300 MB read a peak of 304 MB while its own was 39 MB (2026-12-04). The bench's parent
// holds the stream's lines for a while (JSON.parse's rate), so its children's figures were its own whenever theirs
// were smaller. VmHWM in /proc/<pid>/status is the high-water mark of the process's own memory (every thread's).

import { readFileSync } from 'node:fs';

/** VmHWM of a /proc/<pid>/status text, in MiB; undefined when it has none. */
export function vmHwmMb(status: string): number | undefined {
  const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) / 1024 : undefined;
}

/**
 * The peak resident memory of process `pid` (this one by default) in MiB, from /proc; where there is no /proc (not
 * Linux), this process's getrusage maxrss, which may count its parent's memory at the time it was spawned.
 */
export function peakRssMb(pid: number | 'self' = 'self'): number {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // not Linux
  }
  const own = vmHwmMb(status);
  if (own !== undefined) return own;
  if (pid !== 'self') throw new Error(`peak memory of process ${pid}: no /proc/${pid}/status here (Linux only)`);
  return process.resourceUsage().maxRSS / 1024;
}

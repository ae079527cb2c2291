// Elapsed time on the monotonic clock (performance.now()), which a step of the wall clock does not move.

/** Whole milliseconds since `start`, a performance.now() reading. */
export function msSince(start: number): number {
  return Math.round(performance.now() - start);
}

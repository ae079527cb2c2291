// The rising terms' windows as pieces of the counts the embedded store keeps: whole hours and 5-minute periods. An
// hour's counts are the sum of its periods' counts, so a window is its whole hours, plus the periods of its edges, or
// the hour an edge cuts less the periods of that hour outside the window, whichever reads fewer rows. The bench's
// 10 M posts: 2.56 M period rows for seven hours against 0.46 M rows of hours and edge periods.

/** The length of the periods counted (minutes; a divisor of an hour). */
export const PERIOD_MINUTES = 5;

const PERIOD_MS = PERIOD_MINUTES * 60_000;
const HOUR_MS = 3_600_000;
const PERIODS_PER_HOUR = HOUR_MS / PERIOD_MS;

/**
 * About how many rows an hour's counts hold, in periods' worth: an hour's distinct terms are fewer than its periods'
 * rows summed (the bench's stream: about 109,000 terms an hour against 68,000 a period).
 */
const HOUR_COST_IN_PERIODS = 2;

/** A piece of a window: the counts of a whole hour or of one period (its start, ms since the epoch) with a weight. */
export interface Piece {
  hour: boolean;
  start: number;
  weight: number;
}

/**
 * [from, to) (period boundaries, ms) as weighted pieces whose counts sum to the window's counts. `emptyAfter`: no post
 * is after `to` (it ends with the newest post's period), so the periods of its hour after it cost nothing to read.
 */
export function windowPieces(from: number, to: number, emptyAfter = false): Piece[] {
  if (from % PERIOD_MS !== 0 || to % PERIOD_MS !== 0 || to < from) throw new RangeError(`not a window of whole periods: ${from} to ${to}`);
  const out: Piece[] = [];
  const periods = (a: number, b: number, weight: number): void => {
    for (let t = a; t < b; t += PERIOD_MS) out.push({ hour: false, start: t, weight });
  };
  const firstWhole = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastWhole = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (firstWhole > lastWhole) {
    // Within one hour.
    periods(from, to, 1);
    return out;
  }
  for (let h = firstWhole; h < lastWhole; h += HOUR_MS) out.push({ hour: true, start: h, weight: 1 });
  // The hour the start cuts: [from, firstWhole) inside, [firstWhole - 1 h, from) outside.
  const inStart = (firstWhole - from) / PERIOD_MS;
  if (inStart > 0 && HOUR_COST_IN_PERIODS + (PERIODS_PER_HOUR - inStart) < inStart) {
    out.push({ hour: true, start: firstWhole - HOUR_MS, weight: 1 });
    periods(firstWhole - HOUR_MS, from, -1);
  } else periods(from, firstWhole, 1);
  // The hour the end cuts: [lastWhole, to) inside, [to, lastWhole + 1 h) outside.
  const inEnd = (to - lastWhole) / PERIOD_MS;
  const outEnd = emptyAfter ? 0 : PERIODS_PER_HOUR - inEnd;
  if (inEnd > 0 && HOUR_COST_IN_PERIODS + outEnd < inEnd) {
    out.push({ hour: true, start: lastWhole, weight: 1 });
    periods(to, lastWhole + HOUR_MS, -1);
  } else periods(lastWhole, to, 1);
  return out;
}

/** A piece of the rising terms' two windows, with its weight in each. */
export interface RisingPiece {
  hour: boolean;
  start: number;
  recent: number;
  all: number;
}

/**
 * The rising terms' windows, both ending at `upto` (the end of the newest post's period): the last `recentHours` and
 * the whole `recentHours + baselineHours`, as pieces weighted in each (pieces of weight 0 in both left out).
 */
export function risingPieces(upto: number, recentHours: number, baselineHours: number): RisingPiece[] {
  const pieces = new Map<string, RisingPiece>();
  const add = (window: 'recent' | 'all', hours: number): void => {
    for (const p of windowPieces(upto - hours * HOUR_MS, upto, true)) {
      const key = `${p.hour ? 'h' : 'p'}${p.start}`;
      const piece = pieces.get(key) ?? { hour: p.hour, start: p.start, recent: 0, all: 0 };
      piece[window] += p.weight;
      pieces.set(key, piece);
    }
  };
  add('recent', recentHours);
  add('all', recentHours + baselineHours);
  return [...pieces.values()].filter((p) => p.recent !== 0 || p.all !== 0).sort((a, b) => Number(a.hour) - Number(b.hour) || a.start - b.start);
}

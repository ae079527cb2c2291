// The rising terms' windows as whole hours and periods: whatever the window, the pieces' weights cover each of its
// periods exactly once and nothing else, and they read hours where that reads fewer rows.

import { describe, expect, it } from 'vitest';
import { type Piece, risingPieces, windowPieces } from '../../src/core/rising-pieces.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (hhmm: string): number => Date.parse(`2012-10-29T${hhmm}:00Z`);

/** Each period's total weight, an hour's spread over its 12 periods. */
function perPeriod(pieces: readonly Piece[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of pieces) for (let t = p.start; t < p.start + (p.hour ? HOUR : 5 * MIN); t += 5 * MIN) out.set(t, (out.get(t) ?? 0) + p.weight);
  for (const [t, w] of out) if (w === 0) out.delete(t);
  return out;
}

const periodsOf = (from: number, to: number): Map<number, number> => {
  const out = new Map<number, number>();
  for (let t = from; t < to; t += 5 * MIN) out.set(t, 1);
  return out;
};

describe('rising pieces', () => {
  it('cover every period of any window of whole periods exactly once, and none outside it', () => {
    const day = at('00:00');
    for (let from = day; from < day + 3 * HOUR; from += 5 * MIN)
      for (let to = from; to < from + 9 * HOUR; to += 5 * MIN)
        for (const emptyAfter of [false, true]) expect(perPeriod(windowPieces(from, to, emptyAfter))).toEqual(periodsOf(from, to));
  });

  it('read the whole hours of a window from the hours, and an edge from its periods or as its hour less the periods outside', () => {
    const show = (ps: Piece[]) => ps.map((p) => `${p.weight > 0 ? '+' : '-'}${p.hour ? 'h' : 'p'}${new Date(p.start).toISOString().slice(11, 16)}`);
    // 07:50–14:50, no post after 14:50: the start's two periods, 08:00 to 14:00 whole, hour 14 less its two last periods.
    expect(show(windowPieces(at('07:50'), at('14:50'), true)).sort()).toEqual(
      ['+p07:50', '+p07:55', '+h08:00', '+h09:00', '+h10:00', '+h11:00', '+h12:00', '+h13:00', '+h14:00', '-p14:50', '-p14:55'].sort(),
    );
    // 13:00–14:15: its last three periods, unless no post follows 14:15 (the hour less nine periods that are empty).
    expect(show(windowPieces(at('13:00'), at('14:15'), false))).toEqual(['+h13:00', '+p14:00', '+p14:05', '+p14:10']);
    const emptyAfter = show(windowPieces(at('13:00'), at('14:15'), true));
    expect(emptyAfter.filter((p) => p.startsWith('+'))).toEqual(['+h13:00', '+h14:00']);
    expect(emptyAfter.filter((p) => p.startsWith('-')).length).toBe(9);
    // 10:10–13:00: the start's ten periods read as hour 10 less 10:00 and 10:05.
    expect(show(windowPieces(at('10:10'), at('13:00'))).sort()).toEqual(['+h10:00', '-p10:00', '-p10:05', '+h11:00', '+h12:00'].sort());
    // Within one hour: periods only.
    expect(windowPieces(at('10:10'), at('10:40')).every((p) => !p.hour && p.weight === 1)).toBe(true);
    expect(() => windowPieces(at('10:10') + 1, at('10:40'))).toThrow(/whole periods/u);
  });

  it("weigh each piece in the last hour and in the seven hours, as the rising terms' two sums", () => {
    const upto = at('14:50');
    const pieces = risingPieces(upto, 1, 6);
    const spread = (w: 'recent' | 'all') => perPeriod(pieces.map((p) => ({ hour: p.hour, start: p.start, weight: p[w] })));
    expect(spread('recent')).toEqual(periodsOf(upto - HOUR, upto));
    expect(spread('all')).toEqual(periodsOf(upto - 7 * HOUR, upto));
    // 7 hours and 4 periods read (weights of 0 in both left out), against the 84 periods of the seven hours.
    expect(pieces.filter((p) => p.hour).length).toBe(7);
    expect(pieces.filter((p) => !p.hour).length).toBeLessThanOrEqual(6);
  });
});

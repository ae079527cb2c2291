import { describe, expect, it } from 'vitest';
import { zeroFilledVolume } from '../../src/core/analyses.js';

describe('the volume over time', () => {
  it('shows silent buckets as zeros between the first and the last, on a true time axis', () => {
    const rows = [
      { bucket: '2012-10-29T12:00:00.000Z', n: 5 },
      { bucket: '2012-10-29T18:00:00.000Z', n: 2 },
    ];
    const out = zeroFilledVolume(rows, 'hour');
    expect(out).toHaveLength(7);
    expect(out.map((r) => r.n)).toEqual([5, 0, 0, 0, 0, 0, 2]);
    expect(out[3].bucket).toBe('2012-10-29T15:00:00.000Z');
  });

  it('reads buckets written without a zone as UTC, and days and minutes alike', () => {
    expect(
      zeroFilledVolume(
        [
          { bucket: '2012-10-28 00:00:00', n: 1 },
          { bucket: '2012-10-30 00:00:00', n: 3 },
        ],
        'day',
      ).map((r) => r.n),
    ).toEqual([1, 0, 3]);
    expect(
      zeroFilledVolume(
        [
          { bucket: '2012-10-29T12:00:00Z', n: 1 },
          { bucket: '2012-10-29T12:02:00Z', n: 1 },
        ],
        'minute',
      ),
    ).toHaveLength(3);
  });

  it('leaves an empty volume, and an axis too long to fill, as it came', () => {
    expect(zeroFilledVolume([], 'hour')).toEqual([]);
    const far = [
      { bucket: '2012-01-01T00:00:00Z', n: 1 },
      { bucket: '2012-12-01T00:00:00Z', n: 1 },
    ];
    expect(zeroFilledVolume(far, 'minute')).toEqual(far);
  });
});

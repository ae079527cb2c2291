import { describe, expect, it } from 'vitest';
import { VOLUME_MAX_BUCKETS, volumeNote, zeroFilledVolume } from '../../src/core/analyses.js';

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

  it('leaves an empty volume, and an axis too long to fill, as it came, and says why of the latter only', () => {
    expect(zeroFilledVolume([], 'hour')).toEqual([]);
    expect(volumeNote([], 'hour')).toBeNull();
    const far = [
      { bucket: '2012-01-01T00:00:00Z', n: 1 },
      { bucket: '2012-12-01T00:00:00Z', n: 1 },
    ];
    expect(zeroFilledVolume(far, 'minute')).toEqual(far);
    expect(volumeNote(far, 'minute')).toBe(
      'per minute, the posts span 482,401 minutes, more than the 10,000 the chart fills: only the minutes with posts are drawn, side by side, and silent ones do not show; choose a longer bucket',
    );
    expect(zeroFilledVolume(far, 'hour')).toHaveLength(8041);
    expect(volumeNote(far, 'hour')).toBeNull();
    // a query's most rows (100,000 minutes, each with posts): the note, not a spread of them all (beyond V8's arguments)
    const start = Date.UTC(2012, 9, 1);
    const many = Array.from({ length: 100_000 }, (_, i) => ({ bucket: new Date(start + i * 60_000).toISOString(), n: 1 }));
    expect(zeroFilledVolume(many, 'minute')).toHaveLength(100_000);
    expect(volumeNote(many, 'minute')).toMatch(/^per minute, the posts span 100,000 minutes, more than the 10,000/u);
  });

  it('fills an axis of as many buckets as it may hold, in whatever order the rows come', () => {
    const start = Date.UTC(2012, 9, 1);
    const rows = Array.from({ length: VOLUME_MAX_BUCKETS }, (_, i) => ({ bucket: new Date(start + i * 60_000).toISOString(), n: 1 }));
    const out = zeroFilledVolume(rows.slice().reverse(), 'minute');
    expect(out).toHaveLength(VOLUME_MAX_BUCKETS);
    expect(out[0].bucket).toBe(rows[0].bucket);
    expect(volumeNote(rows, 'minute')).toBeNull();
  });
});

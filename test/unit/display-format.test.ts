import { describe, expect, it } from 'vitest';
import { fmtTime, fmtValue } from '../../web/src/format.js';

describe('how the pages write values', () => {
  it('writes every time one way, in UTC, saying so', () => {
    expect(fmtTime('2012-10-29T12:00:00.000Z')).toBe('2012-10-29 12:00:00 UTC');
    expect(fmtTime('2012-10-29T08:00:00-04:00')).toBe('2012-10-29 12:00:00 UTC');
    expect(fmtTime(null)).toBe('—');
  });

  it("writes a query result's timestamps (DuckDB's and Spark's types) as times, and nothing else as one", () => {
    expect(fmtValue('2012-10-29T12:00:00.000Z', 'TIMESTAMP')).toBe('2012-10-29 12:00:00 UTC');
    expect(fmtValue('2012-10-29T12:00:00.000Z', 'TIMESTAMP WITH TIME ZONE')).toBe('2012-10-29 12:00:00 UTC');
    expect(fmtValue('2012-10-29T12:00:00.000Z', 'timestamp')).toBe('2012-10-29 12:00:00 UTC');
    expect(fmtValue('2012-10-29T12:00:00.000Z', 'VARCHAR')).toBe('2012-10-29T12:00:00.000Z');
    expect(fmtValue(1234567, 'BIGINT')).toBe('1,234,567');
    expect(fmtValue(['a', 'b'], 'VARCHAR[]')).toBe('["a","b"]');
    expect(fmtValue(null, 'TIMESTAMP')).toBe('∅');
  });
});

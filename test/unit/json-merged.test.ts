import { describe, expect, it } from 'vitest';
import { merged } from '../../src/core/json.js';

describe('merged', () => {
  it('gives what spreading the objects in order gives: later fields win, order of first appearance kept', () => {
    const a = { id: '1', type: 'retweeted', n: 1 };
    const b = { id: '2', text: 'x', nested: { k: [1, 2] } };
    const c = { author: { id: '9' } };
    const m = merged(a, b, c);
    expect(m).toEqual({ ...a, ...b, ...c });
    expect(Object.keys(m)).toEqual(Object.keys({ ...a, ...b, ...c }));
    expect(m.nested).toBe(b.nested);
  });

  it('copies and does not change its arguments', () => {
    const a = { x: 1 };
    const b = { y: 2 };
    const m = merged(a, b);
    m.z = 3;
    expect(a).toEqual({ x: 1 });
    expect(b).toEqual({ y: 2 });
  });

  it('keeps a __proto__ key of a payload as an own field, never as the prototype (as spread does)', () => {
    const payload = JSON.parse('{"id":"7","__proto__":{"polluted":true}}') as Record<string, unknown>;
    for (const m of [merged({ a: 1 }, payload), merged(payload, { a: 1 })]) {
      expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
      expect((m as { polluted?: boolean }).polluted).toBeUndefined();
      expect(Object.keys(m)).toContain('__proto__');
      expect(m).toEqual({ ...{ a: 1 }, ...payload });
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

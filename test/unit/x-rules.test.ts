import { describe, expect, it } from 'vitest';
import { diffRules, rulesFor } from '../../src/core/x-rules.js';

const ev = (name: string, keywords: string[], active = true) => ({ name, keywords, active });

describe('X v2 stream rules from events', () => {
  it("ORs an event's keywords into one rule tagged with its name, quoting phrases", () => {
    expect(rulesFor([ev('Sandy', ['sandy', 'New York City', '#sandy', '@fema']), ev('Paused', ['x'], false)])).toEqual([
      { value: '(sandy OR "new york city" OR #sandy OR @fema)', tag: 'Sandy' },
    ]);
    expect(rulesFor([ev('One', ['flood'])])).toEqual([{ value: 'flood', tag: 'One' }]);
  });

  it('splits an event over several rules when one would be too long', () => {
    const rules = rulesFor(
      [
        ev(
          'Big',
          Array.from({ length: 100 }, (_, i) => `keyword${i}`),
        ),
      ],
      120,
    );
    expect(rules.length).toBeGreaterThan(1);
    expect(rules.every((r) => r.value.length <= 120 && r.tag === 'Big')).toBe(true);
    expect(rules.flatMap((r) => r.value.replace(/[()]/gu, '').split(' OR '))).toHaveLength(100);
  });

  it('sends only the difference', () => {
    const existing = [
      { id: '1', value: 'sandy', tag: 'Sandy' },
      { id: '2', value: 'old', tag: 'Gone' },
    ];
    expect(
      diffRules(existing, [
        { value: 'sandy', tag: 'Sandy' },
        { value: 'milton', tag: 'Milton' },
      ]),
    ).toEqual({ add: [{ value: 'milton', tag: 'Milton' }], deleteIds: ['2'] });
    expect(diffRules(existing, existing)).toEqual({ add: [], deleteIds: [] });
  });
});

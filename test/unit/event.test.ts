import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { applyEventPatch, eventNameKey, nearDuplicateName, parseEventsFile, validateEventInput } from '../../src/core/event.js';

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.errors.map((e) => e.field);
    throw err;
  }
  return [];
}

describe('event validation', () => {
  it('accepts a valid event, trims and defaults active to true', () => {
    expect(validateEventInput({ name: ' Sandy ', keywords: ['sandy', ' new   york '] })).toEqual({
      name: 'Sandy',
      keywords: ['sandy', 'new york'],
      active: true,
      accounts: [],
      boxes: [],
      languages: [],
    });
  });
  it('requires a name of 1 to 100 characters', () => {
    expect(fieldsOf(() => validateEventInput({ keywords: ['a'] }))).toEqual(['name']);
    expect(fieldsOf(() => validateEventInput({ name: '', keywords: ['a'] }))).toEqual(['name']);
    expect(fieldsOf(() => validateEventInput({ name: 'x'.repeat(101), keywords: ['a'] }))).toEqual(['name']);
    expect(fieldsOf(() => validateEventInput({ name: '地'.repeat(100), keywords: ['a'] }))).toEqual([]);
  });
  it('requires 1 to 400 keywords', () => {
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: [] }))).toEqual(['keywords']);
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: Array.from({ length: 401 }, (_, i) => `k${i}`) }))).toEqual(['keywords']);
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: 'sandy' }))).toEqual(['keywords']);
  });
  it('limits each keyword to 60 bytes of UTF-8, naming the keyword', () => {
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: ['ok', 'x'.repeat(61)] }))).toEqual(['keywords[1]']);
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: ['地'.repeat(20)] }))).toEqual([]);
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: ['地'.repeat(21)] }))).toEqual(['keywords[0]']);
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: ['  '] }))).toEqual(['keywords[0]']);
  });
  it('says why in the message', () => {
    expect(() => validateEventInput({ name: 'a', keywords: ['x'.repeat(61)] })).toThrow('keywords[0]: must be at most 60 bytes of UTF-8 (got 61)');
  });
  it('rejects unknown fields and a non-boolean active', () => {
    expect(fieldsOf(() => validateEventInput({ name: 'a', keywords: ['b'], active: 'yes', colour: 1 }))).toEqual(['active', 'colour']);
  });
  it('patches only the given fields', () => {
    const cur = { id: 'e1', name: 'a', keywords: ['b'], active: true, createdAt: 't', updatedAt: 't' };
    expect(applyEventPatch(cur, { active: false })).toEqual({ name: 'a', keywords: ['b'], active: false, accounts: [], boxes: [], languages: [] });
  });
  it('reads the events file and refuses duplicate names', () => {
    expect(parseEventsFile([{ name: 'a', keywords: ['x'] }], 'now')).toHaveLength(1);
    expect(
      fieldsOf(() =>
        parseEventsFile(
          [
            { name: 'a', keywords: ['x'] },
            { name: 'a', keywords: ['y'] },
          ],
          'now',
        ),
      ),
    ).toEqual(['[1].name']);
    expect(fieldsOf(() => parseEventsFile({ name: 'a' }, 'now'))).toEqual(['events']);
  });
});

describe('event names', () => {
  it('are the same name to a reader whatever the case, spacing or full-width forms', () => {
    expect(eventNameKey(' 2012  Hurricane\tSANDY ')).toBe(eventNameKey('2012 hurricane sandy'));
    expect(eventNameKey('２０１２ Sandy')).toBe(eventNameKey('2012 sandy'));
    expect(nearDuplicateName(['2012 Hurricane Sandy', 'Other'], '2012 hurricane sandy ')).toBe('2012 Hurricane Sandy');
    expect(nearDuplicateName(['2012 Hurricane Sandy'], '2012 hurricane sandy', '2012 Hurricane Sandy')).toBeUndefined();
    expect(nearDuplicateName(['2012 Hurricane Sandy'], '2013 Hurricane Sandy')).toBeUndefined();
  });
});

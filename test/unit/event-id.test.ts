import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLine } from '../../src/core/classify.js';
import { legacyEventId, newEventId, reassignmentsFor, uuidFromText } from '../../src/core/event-id.js';
import { Matcher } from '../../src/core/matcher.js';

const line = JSON.stringify({
  id_str: '42',
  text: 'flooding in the city',
  created_at: 'Mon Oct 29 12:00:00 +0000 2012',
  user: { id_str: '1', screen_name: 'a' },
});
const rowsFor = (e: { id: string; name: string }) =>
  classifyLine(line, new Matcher([{ ...e, keywords: ['flooding'], active: true }]), '2026-01-01T00:00:00.000Z');

describe('event identity', () => {
  it('a new event gets a fresh UUID; a name alone always gives the same one', () => {
    expect(newEventId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(newEventId()).not.toBe(newEventId());
    expect(legacyEventId('2012 Hurricane Sandy')).toBe(legacyEventId('2012 Hurricane Sandy'));
    expect(legacyEventId('2012 Hurricane Sandy')).not.toBe(legacyEventId('2012 hurricane sandy'));
    expect(legacyEventId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
  });

  it("a row carries the event's identity, and its id does not change when the event is renamed", () => {
    const before = rowsFor({ id: 'e-1', name: 'Sandy' });
    const after = rowsFor({ id: 'e-1', name: '2012 Hurricane Sandy' });
    if (before.kind !== 'post' || after.kind !== 'post') throw new Error('expected a post');
    expect(before.rows[0]).toMatchObject({ event_name: 'Sandy', event_id: 'e-1' });
    expect(after.rows[0]).toMatchObject({ event_name: '2012 Hurricane Sandy', event_id: 'e-1', id: before.rows[0].id });
    const other = rowsFor({ id: 'e-2', name: 'Sandy' });
    if (other.kind !== 'post') throw new Error('expected a post');
    expect(other.rows[0].id).not.toBe(before.rows[0].id);
  });

  it('row and event ids are those earlier versions stored: SHA-1 bytes with the version-5 and variant bits set', () => {
    // Ids written by every earlier version: a stored row keeps its id, so a replay finds it stored.
    expect(uuidFromText('twitter\u0000e1\u0000123')).toBe('7dd63736-e216-567c-9d5d-b7050f3278e6');
    expect(legacyEventId('2012 Hurricane Sandy')).toBe('5a8605d6-7770-5b6b-909c-88cd4392e52a');
    expect(uuidFromText('')).toBe('da39a3ee-5e6b-5b0d-b255-bfef95601890');
    const fromBytes = (text: string): string => {
      const h = createHash('sha1').update(text).digest();
      h[6] = (h[6] & 0x0f) | 0x50;
      h[8] = (h[8] & 0x3f) | 0x80;
      const x = h.subarray(0, 16).toString('hex');
      return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => uuidFromText(text) === fromBytes(text)),
      { numRuns: 2000 },
    );
  });
});

describe('which stored rows follow which event', () => {
  const sandy = { name: 'Sandy', eventId: 'X' };

  it('a renamed event takes its rows from the old name', () => {
    expect(reassignmentsFor([sandy], [{ name: 'Old name', eventId: 'X' }])).toEqual([{ from: { name: 'Old name', eventId: 'X' }, to: sandy }]);
  });

  it('rows already under their event, and a deleted event rows under a name nobody has, stay as they are', () => {
    expect(reassignmentsFor([sandy], [sandy, { name: 'Deleted', eventId: 'Y' }])).toEqual([]);
  });

  it("an event defined under a name that holds a deleted event's rows (or rows stored before ids) adopts them", () => {
    expect(reassignmentsFor([sandy], [{ name: 'Sandy', eventId: 'Y' }])).toEqual([{ from: { name: 'Sandy', eventId: 'Y' }, to: sandy }]);
  });

  it('renamed away and the old name defined again: the rows of each identity go to their own event, moves first', () => {
    const reused = { name: 'Sandy', eventId: 'Z' };
    const renamed = { name: 'Sandy 2012', eventId: 'X' };
    const plan = reassignmentsFor(
      [reused, renamed],
      [
        { name: 'Sandy', eventId: 'W' },
        { name: 'Sandy', eventId: 'X' },
        { name: 'Sandy', eventId: 'Z' },
      ],
    );
    expect(plan).toEqual([
      { from: { name: 'Sandy', eventId: 'X' }, to: renamed },
      { from: { name: 'Sandy', eventId: 'W' }, to: reused },
    ]);
  });
});

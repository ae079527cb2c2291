import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../src/core/event.js';
import { EVENT_STATE_KEY, encodeEventState } from '../../src/core/event-state.js';
import { type Bus, type BusMessage, TOPICS } from '../../src/core/ports.js';
import { EventStateReader } from '../../src/roles/events/state-reader.js';

/** A bus holding one events topic, as far as the reader asks of it. */
function busWith(messages: BusMessage[]): Bus {
  return {
    latest: async (topic: string) => (topic === TOPICS.events ? (messages.at(-1) ?? null) : null),
  } as unknown as Bus;
}

const event = (name: string): VigilEvent => ({ name, keywords: [name], active: true }) as VigilEvent;

function stateMessage(offset: number, events: VigilEvent[]): BusMessage {
  const value = encodeEventState(events, { action: 'snapshot', name: null }, '2026-12-03T00:00:00Z');
  return { topic: TOPICS.events, partition: 0, offset, timestamp: 0, key: EVENT_STATE_KEY, value };
}

describe('EventStateReader', () => {
  it('decodes a state once and gives it back until a newer one is published', async () => {
    const messages = [stateMessage(0, [event('flood')])];
    const reader = new EventStateReader(busWith(messages));
    const first = await reader.changed();
    expect(first && 'events' in first ? first.events.map((e) => e.name) : null).toEqual(['flood']);
    expect(await reader.changed()).toBeNull();
    expect((await reader.list()).map((e) => e.name)).toEqual(['flood']);

    messages.push(stateMessage(1, [event('flood'), event('quake')]));
    const second = await reader.changed();
    expect(second?.offset).toBe(1);
    expect((await reader.list()).map((e) => e.name)).toEqual(['flood', 'quake']);
    // `force` gives the state again though nothing changed: the one decoded before, not a second decoding.
    expect(await reader.changed(true)).toBe(second);
  });

  it('gives each caller of list a list of its own', async () => {
    const reader = new EventStateReader(busWith([stateMessage(0, [event('b'), event('a')])]));
    (await reader.list()).sort((x, y) => x.name.localeCompare(y.name));
    expect((await reader.list()).map((e) => e.name)).toEqual(['b', 'a']);
  });

  it('reports a state it cannot read, and reads the next one', async () => {
    const messages: BusMessage[] = [{ topic: TOPICS.events, partition: 0, offset: 0, timestamp: 0, key: EVENT_STATE_KEY, value: '{"type":"other"}' }];
    const reader = new EventStateReader(busWith(messages));
    expect(await reader.changed()).toMatchObject({ offset: 0, unreadable: expect.stringContaining('not an event-state message') });
    messages.push(stateMessage(1, [event('fire')]));
    expect((await reader.list()).map((e) => e.name)).toEqual(['fire']);
  });
});

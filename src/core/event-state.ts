// The message the event manager publishes after every change: the full current state, as Project EPIC's
// event manager published it (EPIC Collect as redesigned in Big Data Analytics on Container Orchestrated Systems).

import type { VigilEvent } from './event.js';

export interface EventStateMessage {
  type: 'event-state';
  /** What changed to produce this state. */
  change: { action: 'created' | 'updated' | 'deleted' | 'snapshot'; name: string | null };
  at: string;
  events: VigilEvent[];
}

/** Key of the full-state message; "/" cannot occur in an event name, so it never collides with an event's key. */
export const EVENT_STATE_KEY = '/state';

export function encodeEventState(events: VigilEvent[], change: EventStateMessage['change'], at: string): string {
  const msg: EventStateMessage = { type: 'event-state', change, at, events };
  return JSON.stringify(msg);
}

/**
 * The records of one change on the events topic: each changed event under its name (null, a tombstone, when it
 * was deleted or renamed away), then the full state. On a compacted topic a late consumer still finds every
 * event; the full state always comes last, so the newest message is the current state.
 */
export function eventStateRecords(
  events: VigilEvent[],
  change: EventStateMessage['change'],
  at: string,
  removed: string[] = [],
): { key: string; value: string | null }[] {
  const changed = change.action === 'snapshot' ? events : events.filter((e) => e.name === change.name);
  return [
    ...removed.map((name) => ({ key: name, value: null })),
    ...changed.map((e) => ({ key: e.name, value: JSON.stringify(e) })),
    { key: EVENT_STATE_KEY, value: encodeEventState(events, change, at) },
  ];
}

/** Reads a state message; throws with the reason when it is not one. */
export function decodeEventState(value: string): EventStateMessage {
  const msg = JSON.parse(value) as Partial<EventStateMessage>;
  if (msg.type !== 'event-state' || !Array.isArray(msg.events)) throw new Error('not an event-state message: expected {"type":"event-state","events":[...]}');
  return msg as EventStateMessage;
}

// The message the event manager publishes after every change: the full current state, as in the thesis.

import type { VigilEvent } from './event.js';

export interface EventStateMessage {
  type: 'event-state';
  /** What changed to produce this state. */
  change: { action: 'created' | 'updated' | 'deleted' | 'snapshot'; name: string | null };
  at: string;
  events: VigilEvent[];
}

export const EVENT_STATE_KEY = 'state';

export function encodeEventState(events: VigilEvent[], change: EventStateMessage['change'], at: string): string {
  const msg: EventStateMessage = { type: 'event-state', change, at, events };
  return JSON.stringify(msg);
}

/** Reads a state message; throws with the reason when it is not one. */
export function decodeEventState(value: string): EventStateMessage {
  const msg = JSON.parse(value) as Partial<EventStateMessage>;
  if (msg.type !== 'event-state' || !Array.isArray(msg.events)) throw new Error('not an event-state message: expected {"type":"event-state","events":[...]}');
  return msg as EventStateMessage;
}

// The events as the event manager last published them on the bus: how every role apart from the event manager (and
// the event manager itself, at start) reads them. One reader per role; it remembers the offset it last read, so a
// role can ask whether anything changed.

import { errorMessage } from '../../core/errors.js';
import type { VigilEvent } from '../../core/event.js';
import { decodeEventState, EVENT_STATE_KEY } from '../../core/event-state.js';
import { type Bus, type EventCatalog, TOPICS } from '../../core/ports.js';

/** The newest full state on the bus: its events, or why it could not be read; null when nothing was published yet. */
export type PublishedState = { offset: number; events: VigilEvent[] } | { offset: number; unreadable: string };

/** `known`: a state read earlier, given back as it is when it is still the newest (a thousand events take milliseconds to decode). */
export async function latestEventState(bus: Bus, known?: PublishedState | null): Promise<PublishedState | null> {
  const latest = await bus.latest(TOPICS.events);
  if (!latest || latest.key !== EVENT_STATE_KEY) return null;
  if (known && known.offset === latest.offset) return known;
  if (latest.value === null) return { offset: latest.offset, events: [] };
  try {
    return { offset: latest.offset, events: decodeEventState(latest.value).events };
  } catch (err) {
    return { offset: latest.offset, unreadable: errorMessage(err) };
  }
}

export class EventStateReader implements EventCatalog {
  private seen = -1;
  /** The state read last, decoded once for every caller until a newer one is published. */
  private last: PublishedState | null = null;

  constructor(private readonly bus: Bus) {}

  private async read(): Promise<PublishedState | null> {
    this.last = await latestEventState(this.bus, this.last);
    return this.last;
  }

  /** The events as published last (a new list each call: callers may sort or filter it). */
  async list(): Promise<VigilEvent[]> {
    const s = await this.read();
    return s && 'events' in s ? [...s.events] : [];
  }

  /** The state published since the last call (`force`: whatever is there), else null. */
  async changed(force = false): Promise<PublishedState | null> {
    const s = await this.read();
    if (!s || (!force && s.offset === this.seen)) return force && !s ? { offset: -1, events: [] } : null;
    this.seen = s.offset;
    return s;
  }
}

// An event's identity: a UUID given when it is created and kept when it is renamed. Rows carry it (`event_id`), so
// the rows of an event follow it through renames and are told apart from a deleted event's rows under the same name.

import { hash, randomUUID } from 'node:crypto';

/** The hex digit of a UUID's variant (10xx in binary) for the hex digit of the hash at its place. */
const VARIANT_DIGIT = '89ab89ab89ab89ab';

/**
 * A UUID (version 5 layout) from the SHA-1 of `text`: the same text always gives the same id. Built on the hash's hex
 * text (the version and variant set digit by digit): a hash into a Buffer, then its hex, took about 1.4 µs a row id,
 * the hex straight from the hash about 0.4.
 */
export function uuidFromText(text: string): string {
  const x = hash('sha1', text, 'hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-5${x.slice(13, 16)}-${VARIANT_DIGIT[Number.parseInt(x[16], 16)]}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

/** The identity of a new event. */
export function newEventId(): string {
  return randomUUID();
}

/**
 * The identity of an event known only by its name: one defined before events had ids, rows stored then, or an
 * event of a `vigil classify` events file. Every store and the event manager derive the same id from the same name,
 * so their migrations agree without talking to each other.
 */
export function legacyEventId(name: string): string {
  return uuidFromText(`vigil-event\u0000${name}`);
}

/** An event's identity; a state published before events had ids names none, and its name gives one. */
export function eventIdOf(e: { id?: string; name: string }): string {
  return e.id ?? legacyEventId(e.name);
}

/** Where stored rows are, by name and identity (an event's rows, or a deleted event's). */
export interface StoredEvent {
  name: string;
  eventId: string;
}

/** Rows to give another name or identity: `from` becomes `to`. */
export interface RowReassignment {
  from: StoredEvent;
  to: StoredEvent;
}

/**
 * What keeps each defined event's rows under its current name and identity:
 * - rows of its identity stored under another name (it was renamed) move to its name;
 * - rows stored under its name by an identity no defined event has (a deleted event of that name, or rows stored
 *   before events had ids) become its rows: a name holds one event's rows.
 * Rows of a deleted event under a name no event has stay as they are, listed until purged.
 */
export function reassignmentsFor(defined: readonly StoredEvent[], stored: readonly StoredEvent[]): RowReassignment[] {
  const byId = new Map(defined.map((e) => [e.eventId, e]));
  const byName = new Map(defined.map((e) => [e.name, e]));
  const out: RowReassignment[] = [];
  for (const s of stored) {
    const own = byId.get(s.eventId);
    if (own) {
      if (own.name !== s.name) out.push({ from: s, to: own });
      continue;
    }
    const holder = byName.get(s.name);
    if (holder) out.push({ from: s, to: holder });
  }
  // Moves first: a renamed event's rows reach its new name before anything is adopted there.
  return out.sort((a, b) => Number(a.from.name === a.to.name) - Number(b.from.name === b.to.name));
}

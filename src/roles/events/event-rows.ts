// Keeps every defined event's stored rows under its current name and identity: after a rename its rows move to the
// new name; rows a deleted event left under a name that is defined again become that event's (see
// core/event-id.ts reassignmentsFor). Run by the classifier whenever the events' names or identities change, and by
// a re-classification that saw its event renamed while it ran.

import { eventIdOf, reassignmentsFor } from '../../core/event-id.js';
import type { PostStore } from '../../core/ports.js';
import { msSince } from '../../util/elapsed.js';
import type { Logger } from '../../util/log.js';

/** An event as a state message gives it (one published before events had ids has none). */
type EventIdentity = { name: string; id?: string };

/** What the rows' names and identities depend on: each event's identity and name. */
export function identitySignature(events: readonly EventIdentity[]): string {
  return JSON.stringify(events.map((e) => [eventIdOf(e), e.name]));
}

export async function keepEventRows(store: PostStore, events: readonly EventIdentity[], log: Logger): Promise<void> {
  const defined = events.map((e) => ({ name: e.name, eventId: eventIdOf(e) }));
  for (const r of reassignmentsFor(defined, await store.storedEvents())) {
    const started = performance.now();
    await store.reassignRows(r);
    log.info(
      r.from.name === r.to.name
        ? `rows stored under "${r.to.name}" by an earlier event of that name are its rows now`
        : `the rows of "${r.from.name}" moved to its new name "${r.to.name}"`,
      { from: r.from, to: r.to, ms: msSince(started) },
    );
  }
}

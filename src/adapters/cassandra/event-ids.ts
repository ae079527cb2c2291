// Migration of a keyspace made before events had an identity: each row without `event_id` gets the one its event's
// name gives (legacyEventId, as the event manager gives the event), and the name is listed in `stored_event`, last:
// a name missing there is a name still to migrate, so a migration cut short runs again at the next start.

import { type Client, types } from 'cassandra-driver';
import { legacyEventId } from '../../core/event-id.js';
import { msSince } from '../../util/elapsed.js';
import type { Logger } from '../../util/log.js';

async function names(client: Client, cql: string): Promise<Set<string>> {
  const r = await client.execute(cql, [], { prepare: false, fetchSize: 10_000, autoPage: true });
  return new Set(r.rows.map((x) => x.get('event_name') as string));
}

export async function addEventIds(client: Client, keyspace: string, log?: Logger): Promise<void> {
  const listed = await names(client, `SELECT DISTINCT event_name FROM ${keyspace}.stored_event`);
  const todo = [...(await names(client, `SELECT DISTINCT event_name FROM ${keyspace}.event_buckets`))].filter((n) => !listed.has(n));
  if (todo.length === 0) return;
  const started = performance.now();
  let rows = 0;
  for (const name of todo) {
    const id = types.Uuid.fromString(legacyEventId(name));
    const buckets = await client.execute(`SELECT bucket FROM ${keyspace}.event_buckets WHERE event_name = ?`, [name], { prepare: true });
    for (const b of buckets.rows) {
      let pageState: string | undefined;
      do {
        const page = await client.execute(`SELECT t_id, event_id FROM ${keyspace}.tweet WHERE event_name = ? AND bucket = ?`, [name, b.get('bucket')], {
          prepare: true,
          fetchSize: 500,
          pageState,
        });
        const missing = page.rows.filter((r) => r.get('event_id') === null);
        await Promise.all(
          missing.map((r) =>
            client.execute(
              `UPDATE ${keyspace}.tweet SET event_id = ? WHERE event_name = ? AND bucket = ? AND t_id = ?`,
              [id, name, b.get('bucket'), r.get('t_id')],
              {
                prepare: true,
              },
            ),
          ),
        );
        rows += missing.length;
        pageState = page.pageState ?? undefined;
      } while (pageState);
    }
    await client.execute(`INSERT INTO ${keyspace}.stored_event (event_name, event_id) VALUES (?, ?)`, [name, id], { prepare: true });
  }
  log?.info(`${keyspace}.tweet: rows stored before events had an identity now carry it (event_id)`, {
    events: todo.length,
    rows,
    ms: msSince(started),
  });
}

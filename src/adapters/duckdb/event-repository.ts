// The event manager's state in the embedded database (table `vigil_event`).

import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { type EventInput, type EventTargets, nearDuplicateName, targetsOf, type VigilEvent } from '../../core/event.js';
import { legacyEventId, newEventId } from '../../core/event-id.js';
import type { EventHistoryEntry, EventRepository } from '../../core/ports.js';
import type { DuckDb } from './database.js';
import { toJson } from './values.js';

export class DuckDbEventRepository implements EventRepository {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly now: () => Date,
  ) {}

  static async open(db: DuckDb, now: () => Date = () => new Date()): Promise<DuckDbEventRepository> {
    const conn = await db.connect();
    await conn.run(`CREATE TABLE IF NOT EXISTS vigil_event (
      name VARCHAR PRIMARY KEY,
      keywords VARCHAR[] NOT NULL,
      active BOOLEAN NOT NULL,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`);
    await conn.run(`CREATE TABLE IF NOT EXISTS vigil_event_history (
      happened_at TIMESTAMP NOT NULL,
      action VARCHAR NOT NULL,
      name VARCHAR NOT NULL,
      previous_name VARCHAR,
      keywords VARCHAR[],
      active BOOLEAN
    )`);
    // Accounts, boxes and languages came after the first schema: JSON text of EventTargets.
    await conn.run('ALTER TABLE vigil_event ADD COLUMN IF NOT EXISTS targets VARCHAR');
    await conn.run('ALTER TABLE vigil_event_history ADD COLUMN IF NOT EXISTS targets VARCHAR');
    await addEventIds(conn);
    return new DuckDbEventRepository(conn, now);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async select(where = '', params: string[] = []): Promise<VigilEvent[]> {
    const r = await this.conn.runAndReadAll(
      `SELECT id, name, keywords, active, created_at, updated_at, targets FROM vigil_event ${where} ORDER BY created_at, name`,
      params,
    );
    const rows = await r.convertRowObjects(toJson);
    return rows.map((o) => ({
      id: o.id as string,
      name: o.name as string,
      keywords: o.keywords as string[],
      active: o.active as boolean,
      createdAt: o.created_at as string,
      updatedAt: o.updated_at as string,
      ...parseTargets(o.targets),
    }));
  }

  private async names(): Promise<string[]> {
    return (await this.conn.runAndReadAll('SELECT name FROM vigil_event')).getRows().map((r) => String(r[0]));
  }

  list(): Promise<VigilEvent[]> {
    return this.serial(() => this.select());
  }

  get(name: string): Promise<VigilEvent | null> {
    return this.serial(async () => (await this.select('WHERE name = $1', [name]))[0] ?? null);
  }

  create(input: Required<EventInput>): Promise<VigilEvent> {
    return this.serial(async () => {
      const same = nearDuplicateName(await this.names(), input.name);
      if (same === input.name) throw new ConflictError(`an event named "${input.name}" already exists; choose another name or edit it`);
      if (same !== undefined)
        throw new ConflictError(`"${input.name}" differs from the event "${same}" only in case or spacing; edit "${same}" or choose a distinct name`);
      const now = this.now().toISOString();
      const id = newEventId();
      await this.conn.run(`INSERT INTO vigil_event (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4::TIMESTAMP, $4::TIMESTAMP, $5, $6)`, [
        input.name,
        listValue(input.keywords),
        input.active,
        now,
        JSON.stringify(targetsOf(input)),
        id,
      ]);
      await this.record(now, 'created', id, input.name, null, input);
      return { id, ...input, createdAt: now, updatedAt: now };
    });
  }

  replace(name: string, input: Required<EventInput>): Promise<VigilEvent> {
    return this.serial(async () => {
      const [current] = await this.select('WHERE name = $1', [name]);
      if (!current) throw new NotFoundError(`no event named "${name}"`);
      const same = input.name === name ? undefined : nearDuplicateName(await this.names(), input.name, name);
      if (same !== undefined)
        throw new ConflictError(
          same === input.name
            ? `cannot rename "${name}" to "${input.name}": that name is taken`
            : `cannot rename "${name}" to "${input.name}": it differs from the event "${same}" only in case or spacing`,
        );
      const now = this.now().toISOString();
      await this.conn.run('BEGIN TRANSACTION');
      try {
        await this.conn.run('DELETE FROM vigil_event WHERE name = $1', [name]);
        await this.conn.run(`INSERT INTO vigil_event (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4::TIMESTAMP, $5::TIMESTAMP, $6, $7)`, [
          input.name,
          listValue(input.keywords),
          input.active,
          current.createdAt,
          now,
          JSON.stringify(targetsOf(input)),
          current.id,
        ]);
        await this.record(now, input.name === name ? 'updated' : 'renamed', current.id, input.name, input.name === name ? null : name, input);
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      return { id: current.id, ...input, createdAt: current.createdAt, updatedAt: now };
    });
  }

  delete(name: string): Promise<void> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('DELETE FROM vigil_event WHERE name = $1 RETURNING id', [name]);
      if (r.currentRowCount === 0) throw new NotFoundError(`no event named "${name}"`);
      await this.record(this.now().toISOString(), 'deleted', String(r.getRows()[0][0]), name, null, null);
    });
  }

  private async record(
    at: string,
    action: EventHistoryEntry['action'],
    eventId: string,
    name: string,
    previousName: string | null,
    input: Required<EventInput> | null,
  ): Promise<void> {
    await this.conn.run(`INSERT INTO vigil_event_history (${HISTORY_COLUMNS}) VALUES ($1::TIMESTAMP, $2, $3, $4, $5, $6, $7, $8)`, [
      at,
      action,
      name,
      previousName,
      input ? listValue(input.keywords) : null,
      input ? input.active : null,
      input ? JSON.stringify(targetsOf(input)) : null,
      eventId,
    ]);
  }

  /**
   * Every change of an event, oldest first: of its identity (through every rename) when it is defined, and what was
   * recorded under this name or renamed from it (a deleted event's; changes made before events had ids).
   */
  history(name: string): Promise<EventHistoryEntry[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(
        `SELECT * FROM vigil_event_history
         WHERE name = $1 OR previous_name = $1 OR event_id = (SELECT id FROM vigil_event WHERE name = $1)
         ORDER BY happened_at, rowid`,
        [name],
      );
      return (await r.convertRowObjects(toJson)).map((o) => ({
        at: o.happened_at as string,
        action: o.action as EventHistoryEntry['action'],
        name: o.name as string,
        previousName: (o.previous_name as string | null) ?? null,
        keywords: (o.keywords as string[] | null) ?? null,
        active: (o.active as boolean | null) ?? null,
        ...(o.targets ? parseTargets(o.targets) : {}),
      }));
    });
  }
}

const EVENT_COLUMNS = 'name, keywords, active, created_at, updated_at, targets, id';
const HISTORY_COLUMNS = 'happened_at, action, name, previous_name, keywords, active, targets, event_id';

/**
 * Events came without an identity before ids existed. Each gets the id a name gives (legacyEventId), as the stores
 * give their rows stored then: the name it was first created under when it was renamed since (and no other event
 * has that name now), else its own. The rows a rename left under the first name then follow the event to its name
 * now, and the rows under its name now are adopted (see core/event-id.ts). Its history (every change since its
 * creation, under any name) gets the same id. Idempotent.
 */
async function addEventIds(conn: DuckDBConnection): Promise<void> {
  await conn.run('ALTER TABLE vigil_event ADD COLUMN IF NOT EXISTS id VARCHAR');
  await conn.run('ALTER TABLE vigil_event_history ADD COLUMN IF NOT EXISTS event_id VARCHAR');
  const missing = (await conn.runAndReadAll('SELECT name FROM vigil_event WHERE id IS NULL')).getRows().map((r) => String(r[0]));
  if (missing.length === 0) return;
  const history = await conn.runAndReadAll(
    'SELECT rowid, action, name, previous_name FROM vigil_event_history WHERE event_id IS NULL ORDER BY happened_at, rowid',
  );
  const lives = eventLives(
    history
      .getRows()
      .map(([rowid, action, name, previous]) => ({ rowid: Number(rowid), action: String(action), name: String(name), previous: previous as string | null })),
  );
  const current = new Set((await conn.runAndReadAll('SELECT name FROM vigil_event')).getRows().map((r) => String(r[0])));
  for (const name of missing) {
    const life = lives.get(name);
    const origin = life?.first ?? name;
    const id = legacyEventId(origin !== name && current.has(origin) ? name : origin);
    await conn.run('UPDATE vigil_event SET id = $1 WHERE name = $2', [id, name]);
    for (const rowid of life?.rowids ?? []) await conn.run('UPDATE vigil_event_history SET event_id = $1 WHERE rowid = $2', [id, rowid]);
  }
}

type HistoryRow = { rowid: number; action: string; name: string; previous: string | null };

/** Each event alive at the end of the history, by its name then: the name it was created under and its changes. */
function eventLives(history: HistoryRow[]): Map<string, { first: string; rowids: number[] }> {
  const lives = new Map<string, { first: string; rowids: number[] }>();
  for (const h of history) {
    if (h.action === 'created') lives.set(h.name, { first: h.name, rowids: [h.rowid] });
    else if (h.action === 'renamed' && h.previous !== null) {
      const life = lives.get(h.previous) ?? { first: h.previous, rowids: [] };
      life.rowids.push(h.rowid);
      lives.delete(h.previous);
      lives.set(h.name, life);
    } else if (h.action === 'deleted') lives.delete(h.name);
    else lives.get(h.name)?.rowids.push(h.rowid);
  }
  return lives;
}

/** Targets as stored (JSON text; null in rows written before targets existed). */
function parseTargets(v: unknown): EventTargets {
  return targetsOf(typeof v === 'string' ? (JSON.parse(v) as Partial<EventTargets>) : {});
}

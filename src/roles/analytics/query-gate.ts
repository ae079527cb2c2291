// Who may run how many queries at once: each person at most `perUser` (more is refused at once, 429), people together
// at most `personSlots` (more wait their turn, within their time limit), and the pages Vigil draws (event cards,
// summaries) have slots of their own, so long queries in the notebook never hold up a viewer's event page.

import { QueryError } from '../../core/errors.js';
import type { QueryEngine, QueryOptions, QueryResult } from '../../core/ports.js';
import { Gate, GateTimeout } from '../../util/gate.js';

export interface QueryGateLimits {
  perUser: number;
  personSlots: number;
  pageSlots: number;
}

/** A gate whose waiters give up at their query's deadline, with a reason (504). */
class Slots {
  private readonly gate: Gate;

  constructor(size: number) {
    this.gate = new Gate(size);
  }

  async run<T>(fn: () => Promise<T>, deadline: number, timeoutMs: number): Promise<T> {
    try {
      return await this.gate.run(fn, { deadline });
    } catch (err) {
      if (err instanceof GateTimeout)
        throw new QueryError(`no query slot came free within the ${timeoutMs} ms time limit (other queries are running); try again`, 'VIGIL_TIMEOUT');
      throw err;
    }
  }
}

/** The event pages' ready analyses run this many queries at once, beside people's own queries. */
export const PAGE_SLOTS = 2;

export class QueryGate {
  private readonly person: Slots;
  private readonly page: Slots;
  private readonly running = new Map<string, number>();

  constructor(private readonly limits: QueryGateLimits) {
    this.person = new Slots(limits.personSlots);
    this.page = new Slots(limits.pageSlots);
  }

  /** Runs a person's query within their share and the people's slots. */
  async forPerson(user: string, engine: QueryEngine, sql: string, options: QueryOptions): Promise<QueryResult> {
    const mine = this.running.get(user) ?? 0;
    if (mine >= this.limits.perUser)
      throw new QueryError(`you have ${mine} queries running (at most ${this.limits.perUser} at once); wait for one to finish or cancel it`, 'VIGIL_TOO_MANY');
    this.running.set(user, mine + 1);
    try {
      const deadline = (options.startedAt ?? performance.now()) + options.timeoutMs;
      return await this.person.run(() => engine.query(sql, { ...options, untrusted: true }), deadline, options.timeoutMs);
    } finally {
      const left = (this.running.get(user) ?? 1) - 1;
      if (left === 0) this.running.delete(user);
      else this.running.set(user, left);
    }
  }

  /** The engine as Vigil's own pages use it: their own slots. */
  forPages(engine: QueryEngine): QueryEngine {
    return {
      dialect: engine.dialect,
      query: async (sql, options) => {
        const started = options.startedAt ?? performance.now();
        return this.page.run(() => engine.query(sql, { ...options, startedAt: started }), started + options.timeoutMs, options.timeoutMs);
      },
      close: () => engine.close(),
    };
  }
}

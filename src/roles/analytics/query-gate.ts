// Who may run how many queries at once: each person at most `perUser` (more is refused at once, 429), people together
// at most `personSlots` (more wait their turn, within their time limit), and the pages Vigil draws (event cards,
// summaries) have slots of their own, so long queries in the notebook never hold up a viewer's event page.

import { QueryError } from '../../core/errors.js';
import type { QueryEngine, QueryOptions, QueryResult } from '../../core/ports.js';

export interface QueryGateLimits {
  perUser: number;
  personSlots: number;
  pageSlots: number;
}

class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Resolves when a slot is free, or rejects (504) at the deadline. */
  acquire(deadline: number, timeoutMs: number): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const turn = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () => {
          const i = this.waiting.indexOf(turn);
          if (i !== -1) this.waiting.splice(i, 1);
          reject(new QueryError(`no query slot came free within the ${timeoutMs} ms time limit (other queries are running); try again`, 'VIGIL_TIMEOUT'));
        },
        Math.max(0, deadline - performance.now()),
      );
      this.waiting.push(turn);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
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
      await this.person.acquire((options.startedAt ?? performance.now()) + options.timeoutMs, options.timeoutMs);
      try {
        return await engine.query(sql, { ...options, untrusted: true });
      } finally {
        this.person.release();
      }
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
        await this.page.acquire(started + options.timeoutMs, options.timeoutMs);
        try {
          return await engine.query(sql, { ...options, startedAt: started });
        } finally {
          this.page.release();
        }
      },
      close: () => engine.close(),
    };
  }
}

// Who may run how many queries at once: each person their share (more: 429 at once), people together their slots
// (more wait, within their time limit), and Vigil's own pages slots of their own.

import { describe, expect, it } from 'vitest';
import { QueryError } from '../../src/core/errors.js';
import type { QueryEngine, QueryResult } from '../../src/core/ports.js';
import { QueryGate } from '../../src/roles/analytics/query-gate.js';

/** An engine whose queries run until the test lets them finish, and which counts those running. */
function heldEngine(): { engine: QueryEngine; running: () => number; finishAll: () => void } {
  let running = 0;
  let finish: (() => void)[] = [];
  const result: QueryResult = { columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs: 0 };
  const engine: QueryEngine = {
    dialect: 'duckdb',
    query: () =>
      new Promise((resolve) => {
        running++;
        finish.push(() => {
          running--;
          resolve(result);
        });
      }),
    close: async () => undefined,
  };
  return {
    engine,
    running: () => running,
    finishAll: () => {
      for (const f of finish.splice(0)) f();
      finish = [];
    },
  };
}

const tick = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));
const LIMITS = { maxRows: 10, timeoutMs: 10_000 };

describe('the query gate', () => {
  it("lets people's queries beyond the slots wait their turn, and runs each as a slot frees", async () => {
    const gate = new QueryGate({ perUser: 2, personSlots: 2, pageSlots: 1 });
    const e = heldEngine();
    const queries = ['ana', 'bo', 'cy'].map((u) => gate.forPerson(u, e.engine, 'SELECT 1', LIMITS));
    await tick();
    expect(e.running()).toBe(2);
    e.finishAll();
    await tick();
    expect(e.running()).toBe(1);
    e.finishAll();
    await Promise.all(queries);
  });

  it('answers a query whose time limit passes while it waits for a slot with a timeout that says why', async () => {
    const gate = new QueryGate({ perUser: 2, personSlots: 1, pageSlots: 1 });
    const e = heldEngine();
    const first = gate.forPerson('ana', e.engine, 'SELECT 1', LIMITS);
    const err = await gate.forPerson('bo', e.engine, 'SELECT 1', { ...LIMITS, timeoutMs: 50 }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).code).toBe('VIGIL_TIMEOUT');
    expect((err as QueryError).message).toMatch(/no query slot came free within the 50 ms/u);
    e.finishAll();
    await first;
    // The one that gave up left the line: the next query runs at once.
    const next = gate.forPerson('cy', e.engine, 'SELECT 1', LIMITS);
    await tick();
    expect(e.running()).toBe(1);
    e.finishAll();
    await next;
  });

  it("keeps the pages' slots apart from people's: an event page runs while people fill theirs", async () => {
    const gate = new QueryGate({ perUser: 2, personSlots: 1, pageSlots: 1 });
    const e = heldEngine();
    const person = gate.forPerson('ana', e.engine, 'SELECT 1', LIMITS);
    const page = gate.forPages(e.engine).query('SELECT 2', LIMITS);
    await tick();
    expect(e.running()).toBe(2);
    e.finishAll();
    await Promise.all([person, page]);
  });

  it('refuses a person more queries than their share at once', async () => {
    const gate = new QueryGate({ perUser: 1, personSlots: 3, pageSlots: 1 });
    const e = heldEngine();
    const first = gate.forPerson('ana', e.engine, 'SELECT 1', LIMITS);
    await expect(gate.forPerson('ana', e.engine, 'SELECT 1', LIMITS)).rejects.toMatchObject({ code: 'VIGIL_TOO_MANY' });
    e.finishAll();
    await first;
  });
});

// A Vigil process reports Node's thread pool on /metrics (its size, read as libuv reads UV_THREADPOOL_SIZE) and the
// queries and exports that take turns on it: a person's queries and the exports may use all of it but two threads.

import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startVigil, type VigilProcess } from '../helpers/vigil-process.js';

let running: VigilProcess[] = [];
afterEach(async () => {
  await Promise.all(running.map((v) => v.stop()));
  running = [];
});

async function start(env: NodeJS.ProcessEnv): Promise<VigilProcess> {
  const v = await startVigil([], env);
  running.push(v);
  return v;
}

/** A gauge's value as /metrics gives it. */
async function gauge(v: VigilProcess, name: string): Promise<number> {
  const text = await (await v.fetch('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  const m = line === undefined ? null : /\s(\S+)$/u.exec(line);
  if (!m) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

const threadsOf = (v: VigilProcess): number => readdirSync(`/proc/${v.child.pid}/task`).length;

describe("Node's thread pool of a Vigil process", () => {
  it("has Node's 4 threads unless told otherwise, two of them out of reach of queries and exports", async () => {
    // Not set for the child, whatever this process has (an undefined variable is left out of a child's environment).
    const v = await start({ UV_THREADPOOL_SIZE: undefined });
    expect(await gauge(v, 'vigil_thread_pool_threads')).toBe(4);
    expect(await gauge(v, 'vigil_long_work_permits')).toBe(2);
    expect(await gauge(v, 'vigil_long_work{state="waiting"}')).toBe(0);
  });

  it('takes the size UV_THREADPOOL_SIZE gives, and really starts that many threads', async () => {
    const size = 2;
    const [smaller, larger] = await Promise.all([start({ UV_THREADPOOL_SIZE: String(size) }), start({ UV_THREADPOOL_SIZE: String(size + 3) })]);
    expect(await gauge(larger, 'vigil_thread_pool_threads')).toBe(size + 3);
    expect(await gauge(larger, 'vigil_long_work_permits')).toBe(size + 1);
    expect(await gauge(smaller, 'vigil_long_work_permits')).toBe(1);
    // Both have served a request (the pool runs) and run the same roles: the larger pool's three threads are the difference.
    expect(threadsOf(larger) - threadsOf(smaller)).toBe(3);
  });
});

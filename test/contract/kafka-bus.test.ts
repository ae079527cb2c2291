// The bus contract against a real Kafka 4.x broker (started by scripts/engines/kafka.sh; `npm test` does it),
// plus what only a partitioned bus has: per-key order across partitions, a consumer group splitting them, and a
// rebalance that loses nothing.

import { randomUUID } from 'node:crypto';
import { Admin } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { KafkaBus } from '../../src/adapters/kafka/kafka-bus.js';
import { topicAlreadyExists } from '../../src/adapters/kafka/kafka-client.js';
import { type BusMessage, type Subscription, TOPICS } from '../../src/core/ports.js';
import { KAFKA } from '../helpers/engines.js';
import { busContract } from './suites/bus-contract.js';

const BROKERS = KAFKA.split(',');
const quiet = () => undefined;
const open = (namespace: string, warn: (m: string) => void = quiet) =>
  KafkaBus.open({ brokers: BROKERS, namespace, rawPartitions: 6, warn, retryDelayMs: 100 });

busContract('Apache Kafka', {
  settleMs: 2500,
  async fresh({ warn = quiet } = {}) {
    const ns = `t${randomUUID().slice(0, 8)}.`;
    return { bus: await open(ns, warn), reopen: () => open(ns, warn) };
  },
});

describe('Kafka bus: partitions and consumer groups', () => {
  it('spreads keys over partitions and keeps each key in order', async () => {
    const bus = await open(`t${randomUUID().slice(0, 8)}.`);
    const records = Array.from({ length: 300 }, (_, i) => ({ key: `post-${i % 25}`, value: String(i) }));
    await bus.publish(TOPICS.raw, records);
    const got: BusMessage[] = [];
    let sub: Subscription | undefined;
    await new Promise<void>((resolve) => {
      void bus
        .subscribe(TOPICS.raw, 'g', async (b) => {
          got.push(...b);
          if (got.length >= 300) resolve();
        })
        .then((s) => (sub = s));
    });
    await sub?.stop();
    expect(new Set(got.map((m) => m.partition)).size).toBeGreaterThan(1);
    for (let k = 0; k < 25; k++) {
      const values = got.filter((m) => m.key === `post-${k}`).map((m) => Number(m.value));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(values).toHaveLength(12);
    }
    await bus.close();
  });

  it('a group of two splits the partitions, and a member leaving mid-stream loses nothing', async () => {
    const ns = `t${randomUUID().slice(0, 8)}.`;
    const bus = await open(ns);
    const seen = new Map<string, number>();
    const byMember: Record<string, Set<number>> = { a: new Set(), b: new Set() };
    const member = (name: 'a' | 'b') => async (b: BusMessage[]) => {
      for (const m of b) {
        seen.set(m.value ?? '', (seen.get(m.value ?? '') ?? 0) + 1);
        byMember[name].add(m.partition);
      }
      await new Promise((r) => setTimeout(r, 5));
    };
    const a = await bus.subscribe(TOPICS.raw, 'pair', member('a'), { maxBatch: 50 });
    const other = await open(ns);
    const b = await other.subscribe(TOPICS.raw, 'pair', member('b'), { maxBatch: 50 });
    await new Promise((r) => setTimeout(r, 4000));
    const total = 3000;
    for (let i = 0; i < total; i += 100)
      await bus.publish(
        TOPICS.raw,
        Array.from({ length: 100 }, (_, k) => ({ key: `p${i + k}`, value: String(i + k) })),
      );
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (seen.size >= total / 2) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    expect(byMember.a.size).toBeGreaterThan(0);
    expect(byMember.b.size).toBeGreaterThan(0);
    await a.stop(); // member a leaves: its partitions move to b, from a's last commit
    const deadline = Date.now() + 60_000;
    while (seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(seen.size).toBe(total);
    await b.stop();
    await other.close();
    await bus.close();
  });
});

describe('Kafka bus: topics', () => {
  it('knows "topic already exists" by the error\'s apiId from the broker, not by its text', async () => {
    const admin = new Admin({ clientId: 'vigil-test', bootstrapBrokers: BROKERS });
    const name = `t${randomUUID().slice(0, 8)}.probe`;
    try {
      await admin.createTopics({ topics: [name], partitions: 1, replicas: 1 });
      const err: unknown = await admin.createTopics({ topics: [name], partitions: 1, replicas: 1 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(topicAlreadyExists(err)).toBe(true);
      expect(topicAlreadyExists(new Error('Topic already exists.'))).toBe(false);
    } finally {
      await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
      await admin.close();
    }
  });

  it('two processes opening a new namespace at once both start: the topics the other made are taken as they are', async () => {
    const ns = `t${randomUUID().slice(0, 8)}.`;
    const [a, b] = await Promise.all([open(ns), open(ns)]);
    await a.publish(TOPICS.raw, [{ key: 'k', value: 'v' }]);
    expect(await b.lag(TOPICS.raw, 'nobody')).toBe(1);
    await a.close();
    await b.close();
  });
});

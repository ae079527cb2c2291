// The distributed bus: Apache Kafka through @platformatic/kafka (pure JavaScript, maintained, Kafka 3.5–4.x).
// Producer: acks=all, idempotent, compressed batches. Consumers: one consumer-group member per subscription
// (kafka-subscription.ts), offsets committed only after the handler resolved (at-least-once; the store makes it
// effectively once).

import { randomUUID } from 'node:crypto';
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { errorMessage } from '../../core/errors.js';
import {
  type BatchHandler,
  type Bus,
  type BusMessage,
  type BusRecord,
  MAX_BATCH_BYTES,
  type ScanProgress,
  type SubscribeOptions,
  type Subscription,
  TOPICS,
} from '../../core/ports.js';
import { CLIENT_RETRIES, DESERIALIZERS, type KafkaMessage, ORIGIN_HEADER, quietly, SERIALIZERS, toBusMessage, topicAlreadyExists } from './kafka-client.js';
import { KafkaSubscription } from './kafka-subscription.js';

export interface KafkaBusOptions {
  brokers: string[];
  clientId?: string;
  /** Partitions of vigil.raw (default 12) so classifiers scale as a consumer group. */
  rawPartitions?: number;
  /** How long vigil.raw keeps posts (default 7 days): how far back re-classification can go. */
  rawRetentionHours?: number;
  replication?: number;
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  /** Prefix of every topic and group name, so several Vigil installs (or test runs) share one cluster. */
  namespace?: string;
  warn?: (msg: string) => void;
  /**
   * The first wait before a batch whose handler failed is delivered again (default 500 ms), and before a failed
   * consumer joins again; it doubles, with ±20 % jitter, with each failure in a row up to `retryMaxMs` (default 30 s).
   */
  retryDelayMs?: number;
  retryMaxMs?: number;
}

/** How the topics Vigil uses are created when missing. */
export function topicSpecs(o: KafkaBusOptions): { topic: string; partitions: number; configs: { name: string; value: string }[] }[] {
  return [
    {
      topic: TOPICS.events,
      partitions: 1,
      configs: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.compaction.lag.ms', value: '60000' },
      ],
    },
    { topic: TOPICS.raw, partitions: o.rawPartitions ?? 12, configs: [{ name: 'retention.ms', value: String((o.rawRetentionHours ?? 168) * 3600_000) }] },
    { topic: TOPICS.rejects, partitions: 1, configs: [] },
    { topic: TOPICS.coverage, partitions: 1, configs: [] },
  ];
}

export class KafkaBus implements Bus {
  private readonly producer: Producer<string, Buffer, string, string>;
  private readonly admin: Admin;
  private readonly subs = new Set<Subscription>();
  private readonly latestCache = new Map<string, { end: bigint; message: BusMessage | null }>();
  private offsetsReader: Consumer<string, Buffer, string, string> | null = null;
  private sending: Promise<void> = Promise.resolve();

  private constructor(private readonly options: Required<KafkaBusOptions>) {
    const base = { clientId: options.clientId, bootstrapBrokers: options.brokers, ...CLIENT_RETRIES };
    this.producer = new Producer({
      ...base,
      serializers: SERIALIZERS,
      acks: -1,
      idempotent: true,
      compression: options.compression === 'none' ? undefined : options.compression,
    });
    this.admin = new Admin(base);
  }

  /** Connects and creates the topics that are missing. */
  static async open(options: KafkaBusOptions): Promise<KafkaBus> {
    const o: Required<KafkaBusOptions> = {
      clientId: 'vigil',
      rawPartitions: 12,
      rawRetentionHours: 168,
      replication: 1,
      compression: 'lz4',
      namespace: '',
      warn: (m) => process.stderr.write(`${m}\n`),
      retryDelayMs: 500,
      retryMaxMs: 30_000,
      ...options,
    };
    const bus = new KafkaBus(o);
    try {
      await bus.ensureTopics();
    } catch (err) {
      await bus.close().catch(() => undefined);
      throw new Error(
        `cannot reach Kafka at ${o.brokers.join(',')}: ${errorMessage(err)}; start a broker (scripts/engines/kafka.sh up) or fix --kafka-brokers`,
      );
    }
    return bus;
  }

  private t(topic: string): string {
    return this.options.namespace + topic;
  }

  private async ensureTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    for (const spec of topicSpecs(this.options)) {
      if (existing.has(this.t(spec.topic))) continue;
      try {
        await this.admin.createTopics({ topics: [this.t(spec.topic)], partitions: spec.partitions, replicas: this.options.replication, configs: spec.configs });
      } catch (err) {
        if (!topicAlreadyExists(err)) throw err;
      }
    }
    await this.admin.metadata({ topics: topicSpecs(this.options).map((x) => this.t(x.topic)), forceUpdate: true });
  }

  async publish(topic: string, records: BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    // The idempotent producer loses track of its sequence numbers when two sends overlap: the broker answers
    // OUT_OF_ORDER_SEQUENCE_NUMBER and every later send fails too (platformatic/kafka#326). Handlers running in
    // flight side by side publish at the same time, so sends go one at a time.
    const send = this.sending.then(() =>
      this.producer.send({
        messages: records.map((r) => ({
          topic: this.t(topic),
          key: r.key ?? undefined,
          // Bytes as given (a view, not a copy); text encoded once.
          value:
            r.value === null
              ? undefined
              : typeof r.value === 'string'
                ? Buffer.from(r.value, 'utf8')
                : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
          ...(r.origin === undefined ? {} : { headers: { [ORIGIN_HEADER]: r.origin } }),
        })),
      }),
    );
    this.sending = send.then(
      () => undefined,
      () => undefined,
    );
    await send;
  }

  /** A consumer outside any subscription, used to read end offsets and single messages. */
  private reader(): Consumer<string, Buffer, string, string> {
    this.offsetsReader ??= new Consumer({
      clientId: `${this.options.clientId}-reader`,
      bootstrapBrokers: this.options.brokers,
      groupId: `vigil-reader-${randomUUID()}`,
      deserializers: DESERIALIZERS,
    });
    return this.offsetsReader;
  }

  private async endOffsets(topic: string): Promise<bigint[]> {
    const offsets = await this.reader().listOffsets({ topics: [this.t(topic)] });
    return offsets.get(this.t(topic)) ?? [];
  }

  async latest(topic: string): Promise<BusMessage | null> {
    const [end = 0n] = await this.endOffsets(topic);
    const cached = this.latestCache.get(topic);
    if (cached && cached.end === end) return cached.message;
    let message: BusMessage | null = null;
    if (end > 0n) {
      const stream = await this.reader().consume({
        topics: [this.t(topic)],
        mode: 'manual',
        offsets: [{ topic: this.t(topic), partition: 0, offset: end - 1n }],
        autocommit: false,
        maxWaitTime: 100,
      });
      try {
        for await (const m of stream as AsyncIterable<KafkaMessage>) {
          if (m.offset >= end - 1n) {
            message = toBusMessage(m, topic);
            break;
          }
        }
      } finally {
        await stream.close();
      }
    }
    this.latestCache.set(topic, { end, message });
    return message;
  }

  async scan(
    topic: string,
    fromMs: number,
    handler: (batch: BusMessage[], progress: ScanProgress) => Promise<void>,
    options: { maxBatch?: number; maxBatchBytes?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const name = this.t(topic);
    const ends = await this.endOffsets(topic);
    // The broker's time index gives each partition's first offset at or after fromMs (-1: none that late).
    const starts = (await this.reader().listOffsets({ topics: [name], timestamp: BigInt(fromMs) })).get(name) ?? [];
    const parts = new Map<number, { next: bigint; end: bigint }>();
    ends.forEach((end, p) => {
      const start = starts[p] !== undefined && starts[p] >= 0n ? starts[p] : end;
      if (start < end) parts.set(p, { next: start, end });
    });
    const total = [...parts.values()].reduce((n, x) => n + Number(x.end - x.next), 0);
    if (total === 0) return 0;
    const maxBatch = options.maxBatch ?? 1000;
    const consumer = new Consumer<string, Buffer, string, string>({
      clientId: `${this.options.clientId}-scan`,
      bootstrapBrokers: this.options.brokers,
      groupId: `vigil-scan-${randomUUID()}`,
      deserializers: DESERIALIZERS,
      maxWaitTime: 200,
    });
    const maxBatchBytes = options.maxBatchBytes ?? MAX_BATCH_BYTES;
    let done = 0;
    let batch: BusMessage[] = [];
    let batchBytes = 0;
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const b = batch;
      batch = [];
      batchBytes = 0;
      done += b.length;
      await handler(b, { done, total });
    };
    try {
      const stream = await consumer.consume({
        topics: [name],
        mode: 'manual',
        offsets: [...parts.entries()].map(([partition, x]) => ({ topic: name, partition, offset: x.next })),
        autocommit: false,
      });
      try {
        for await (const m of stream as AsyncIterable<KafkaMessage>) {
          const part = parts.get(m.partition);
          if (!part || m.offset < part.next || m.offset >= part.end) continue;
          part.next = m.offset + 1n;
          const bytes = m.value?.length ?? 0;
          if (batch.length > 0 && batchBytes + bytes > maxBatchBytes) await flush();
          batch.push(toBusMessage(m, topic));
          batchBytes += bytes;
          if (part.next >= part.end) parts.delete(m.partition);
          if (batch.length >= maxBatch || parts.size === 0) await flush();
          if (parts.size === 0 || options.signal?.aborted) break;
        }
      } finally {
        await quietly(() => stream.close());
      }
      await flush();
    } finally {
      await quietly(() => consumer.close(true) as unknown as Promise<void>);
    }
    return done;
  }

  async lag(topic: string, group: string): Promise<number> {
    const ends = await this.endOffsets(topic);
    const [g] = await this.admin.listConsumerGroupOffsets({ groups: [this.options.namespace + group] });
    const committed = new Map<number, bigint>();
    for (const t of g?.topics ?? []) if (t.name === this.t(topic)) for (const p of t.partitions) committed.set(p.partitionIndex, p.committedOffset);
    return ends.reduce((sum, end, partition) => {
      const at = committed.get(partition) ?? -1n;
      return sum + Number(end - (at < 0n ? 0n : at));
    }, 0);
  }

  async subscribe(topic: string, group: string, handler: BatchHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const sub = await KafkaSubscription.start({
      brokers: this.options.brokers,
      clientId: this.options.clientId,
      topic,
      group,
      topicName: this.t(topic),
      groupId: this.options.namespace + group,
      handler,
      subscribe: options,
      backoff: { growth: 'exponential', minMs: this.options.retryDelayMs, maxMs: this.options.retryMaxMs, jitter: 0.2 },
      warn: this.options.warn,
    });
    const tracked: Subscription = {
      failing: () => sub.failing(),
      stop: async () => {
        await sub.stop();
        this.subs.delete(tracked);
      },
    };
    this.subs.add(tracked);
    return tracked;
  }

  async close(): Promise<void> {
    for (const s of [...this.subs]) await s.stop();
    const reader = this.offsetsReader;
    if (reader) await quietly(() => reader.close(true) as unknown as Promise<void>);
    await this.producer.close().catch(() => undefined);
    await this.admin.close().catch(() => undefined);
  }
}

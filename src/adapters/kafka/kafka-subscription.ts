// One consumer-group member of the Kafka bus and the batches it hands to a handler. Up to `inFlight` batches are
// handled at once (the next is parsed while the previous is stored); offsets are committed strictly in order, each
// only after its batch and every earlier one were handled. A batch whose handler fails is delivered again, with every
// batch after it, after a growing wait, until it succeeds or the subscription stops: nothing is skipped. A consumer
// that failed (the broker was gone longer than the client's retries) is replaced, with backoff, and consumption
// resumes from the group's committed offsets.

import { Consumer, type MessagesStream } from '@platformatic/kafka';
import { type BatchHandler, type DeliveryFailure, MAX_BATCH_BYTES, type SubscribeOptions, type Subscription } from '../../core/ports.js';
import { type BackoffOptions, FailureRun, reasonOf, wait } from '../../util/retry.js';
import { CLIENT_RETRIES, DESERIALIZERS, type KafkaMessage, quietly, toBusMessage } from './kafka-client.js';

type KafkaConsumer = Consumer<string, Buffer, string, string>;
type KafkaStream = MessagesStream<string, Buffer, string, string>;

export interface KafkaSubscriptionOptions {
  brokers: string[];
  clientId: string;
  /** The topic and group as the caller named them (messages and logs) … */
  topic: string;
  group: string;
  /** … and as they are on the cluster (with the bus's namespace). */
  topicName: string;
  groupId: string;
  handler: BatchHandler;
  subscribe: SubscribeOptions;
  /** The wait before a failed batch is delivered again, and before a failed consumer is replaced (failures in a row). */
  backoff: BackoffOptions;
  warn: (msg: string) => void;
}

/** A batch handed to the handler; `settled` resolves (never rejects) once the handler did. */
interface InFlightBatch {
  messages: KafkaMessage[];
  state: 'running' | 'handled' | 'failed';
  error?: unknown;
  settled: Promise<void>;
}

/** Bytes of a message's value. */
const valueLength = (m: KafkaMessage): number => m.value?.length ?? 0;

/** How long a batch smaller than maxBatch waits for more messages before it is handed out. */
const LINGER_MS = 20;

export class KafkaSubscription implements Subscription {
  private readonly buffer: KafkaMessage[] = [];
  /** Bytes of the buffered messages' values. */
  private bufferBytes = 0;
  private readonly maxBatchBytes: number;
  private readonly inFlight: InFlightBatch[] = [];
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly stopping = new AbortController();
  private readonly batchFailures: FailureRun;
  private readonly consumerFailures: FailureRun;
  private consumer: KafkaConsumer | null = null;
  private stream: KafkaStream | null = null;
  private broken: unknown = null;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly options: KafkaSubscriptionOptions) {
    this.maxBatch = options.subscribe.maxBatch ?? 1000;
    this.maxBatchBytes = options.subscribe.maxBatchBytes ?? MAX_BATCH_BYTES;
    this.maxInFlight = Math.max(1, options.subscribe.inFlight ?? 1);
    this.batchFailures = new FailureRun(options.backoff);
    this.consumerFailures = new FailureRun(options.backoff);
  }

  /** Joins the group and starts delivering; rejects when the first connection fails (the caller reports it). */
  static async start(o: KafkaSubscriptionOptions): Promise<KafkaSubscription> {
    const sub = new KafkaSubscription(o);
    try {
      await sub.connect();
    } catch (err) {
      await sub.disconnect();
      throw err;
    }
    sub.loop = sub.run();
    return sub;
  }

  failing(): DeliveryFailure | null {
    return this.consumerFailures.failing ?? this.batchFailures.failing;
  }

  /** Stops delivery; resolves once the batches in flight are handled and those that succeeded are committed. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.loop;
    await this.disconnect();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) await this.step();
    await this.finishInFlight();
  }

  /** One turn: replace a failed consumer, settle the oldest batch, hand out the next, or wait for any of these. */
  private async step(): Promise<void> {
    if (this.broken !== null) return this.recover();
    const oldest = this.inFlight[0];
    if (oldest && oldest.state !== 'running') return this.settle(oldest);
    if (this.inFlight.length < this.maxInFlight && this.buffer.length > 0) return this.dispatch();
    await this.idle(null);
  }

  /** Resolves on the next message, batch settled, consumer error or stop; or after `ms`. */
  private idle(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        if (timer) clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }

  /** Hands the next batch to the handler without waiting for it to be handled. */
  private async dispatch(): Promise<void> {
    await this.options.subscribe.readWhen?.();
    if (this.buffer.length < this.maxBatch && this.bufferBytes < this.maxBatchBytes) await this.idle(LINGER_MS);
    if (this.stopped || this.broken !== null || this.buffer.length === 0) return;
    // As many as fit in maxBatch and maxBatchBytes (but one).
    let n = 0;
    let bytes = 0;
    while (n < this.buffer.length && n < this.maxBatch && (n === 0 || bytes + valueLength(this.buffer[n]) <= this.maxBatchBytes))
      bytes += valueLength(this.buffer[n++]);
    const messages = this.buffer.splice(0, n);
    this.bufferBytes -= bytes;
    const more = this.buffer.length > 0;
    if (this.stream?.isPaused() && this.buffer.length < this.maxBatch && this.bufferBytes < this.maxBatchBytes) this.stream.resume();
    const batch: InFlightBatch = { messages, state: 'running', settled: Promise.resolve() };
    const bus = messages.map((m) => toBusMessage(m, this.options.topic));
    batch.settled = Promise.resolve()
      .then(() => this.options.handler(bus, more))
      .then(
        () => {
          batch.state = 'handled';
        },
        (err: unknown) => void Object.assign(batch, { state: 'failed', error: err }),
      )
      .finally(() => this.wake());
    this.inFlight.push(batch);
  }

  /** The oldest batch settled: commit it, or deliver it and every later batch again after a backoff. */
  private async settle(oldest: InFlightBatch): Promise<void> {
    if (oldest.state === 'handled') {
      this.inFlight.shift();
      this.batchFailures.reset();
      await this.commit(oldest.messages);
      return;
    }
    const again = await this.finishInFlight();
    this.buffer.unshift(...again.flatMap((b) => b.messages));
    const delay = this.batchFailures.failed(oldest.error);
    const first = oldest.messages[0];
    this.options.warn(
      `kafka: handler of group "${this.options.group}" on ${this.options.topic} failed at ${first.partition}@${first.offset} ` +
        `(attempt ${this.batchFailures.attempt}: ${reasonOf(oldest.error)}); delivering the same batch again in ${delay} ms, ` +
        'and again until it is handled or the subscription stops (fix the store or the handler)',
    );
    await wait(delay, this.stopping.signal);
  }

  /** Waits for every batch in flight and commits, in order, those handled before the first that failed; returns the rest. */
  private async finishInFlight(): Promise<InFlightBatch[]> {
    const batches = this.inFlight.splice(0);
    await Promise.all(batches.map((b) => b.settled));
    const failed = batches.findIndex((b) => b.state === 'failed');
    const handled = failed === -1 ? batches : batches.slice(0, failed);
    for (const b of handled) await this.commit(b.messages);
    return batches.slice(handled.length);
  }

  /** Commits the last message of each partition in the batch (its offset + 1); a failed commit only means re-delivery. */
  private async commit(messages: KafkaMessage[]): Promise<void> {
    const last = new Map<number, KafkaMessage>();
    for (const m of messages) last.set(m.partition, m);
    for (const m of last.values()) {
      try {
        await m.commit();
      } catch (err) {
        this.options.warn(
          `kafka: commit of ${this.options.topic}/${m.partition}@${m.offset} for group "${this.options.group}" failed (${reasonOf(err)}); the batch may be delivered again`,
        );
      }
    }
  }

  /** The consumer failed: finish what is in flight, drop what it buffered, and join again from the committed offsets. */
  private async recover(): Promise<void> {
    let cause = this.broken;
    this.broken = null;
    await this.finishInFlight();
    this.buffer.length = 0;
    await this.disconnect();
    while (!this.stopped) {
      const delay = this.consumerFailures.failed(cause);
      this.options.warn(
        `kafka: consumer of group "${this.options.group}" on ${this.options.topic} failed (attempt ${this.consumerFailures.attempt}: ${reasonOf(cause)}); ` +
          `joining again from the committed offsets in ${delay} ms (is the broker up?)`,
      );
      await wait(delay, this.stopping.signal);
      if (this.stopped) return;
      try {
        await this.connect();
        this.consumerFailures.clear();
        return;
      } catch (err) {
        cause = err;
        await this.disconnect();
      }
    }
  }

  /** A consumer-group member and its stream, from the group's committed offsets. */
  private async connect(): Promise<void> {
    this.consumer = new Consumer<string, Buffer, string, string>({
      clientId: `${this.options.clientId}-${this.options.group}`,
      bootstrapBrokers: this.options.brokers,
      groupId: this.options.groupId,
      deserializers: DESERIALIZERS,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      rebalanceTimeout: 20_000,
      maxWaitTime: 200,
      ...CLIENT_RETRIES,
    });
    const stream = await this.consumer.consume({
      topics: [this.options.topicName],
      mode: 'committed',
      fallbackMode: this.options.subscribe.from === 'latest' ? 'latest' : 'earliest',
      autocommit: false,
    });
    stream.on('data', (m: KafkaMessage) => this.receive(m, stream));
    stream.on('error', (err: Error) => {
      if (stream !== this.stream) return;
      this.broken = err;
      this.wake();
    });
    this.stream = stream;
  }

  private receive(m: KafkaMessage, stream: KafkaStream): void {
    if (stream !== this.stream) return;
    this.consumerFailures.reset();
    this.buffer.push(m);
    this.bufferBytes += valueLength(m);
    // Back-pressure: the broker is read no further ahead than two batches beyond those in flight.
    if (this.buffer.length >= this.maxBatch * 2 || this.bufferBytes >= this.maxBatchBytes * 2) stream.pause();
    this.wake();
  }

  private async disconnect(): Promise<void> {
    const s = this.stream;
    const c = this.consumer;
    this.stream = null;
    this.consumer = null;
    if (s) await quietly(() => s.close());
    if (c) await quietly(() => c.close(true) as unknown as Promise<void>);
  }
}

// What the Kafka bus and its subscriptions share: the message type and its conversion to a BusMessage, how patient
// every client is with the cluster, the structured check for an existing topic, and closing without caring.

import { type Deserializers, GenericError, type Message, type Serializers, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import type { BusMessage } from '../../core/ports.js';
import { messageOfBytes } from '../../util/bus-message.js';
import { type BackoffOptions, backoffDelay } from '../../util/retry.js';

/** Keys and headers are text; a value stays the bytes it was given or fetched as (see SERIALIZERS). */
export type KafkaMessage = Message<string, Buffer, string, string>;

/**
 * A value goes from the replayed file or socket to Kafka, and from Kafka to the classifier's workers, as its UTF-8
 * bytes: never decoded to text and encoded again on the way (the "bytes, not strings"). A consumer that wants
 * the text reads BusMessage.value, decoded then, once.
 */
export const SERIALIZERS: Serializers<string, Buffer, string, string> = { ...stringSerializers, value: (v?: Buffer) => v };
/** A tombstone's value comes as undefined: toBusMessage reads it as null. */
export const DESERIALIZERS: Deserializers<string, Buffer, string, string> = { ...stringDeserializers, value: (b?: Buffer) => b as Buffer };

/**
 * How each request of a client is retried inside @platformatic/kafka before it reports an error: about 14 s of
 * patience in all (a broker restarting), growing from 250 ms so that a blip costs little and a broker that is
 * starting is not hammered. The bus's own loops (a failed consumer, a failed batch) go on with their backoff after that.
 */
const REQUEST_BACKOFF: BackoffOptions = { growth: 'exponential', minMs: 250, maxMs: 1000, jitter: 0.2 };
export const CLIENT_RETRIES = {
  retries: 15,
  retryDelay: (_client: unknown, _operation: string, attempt: number): number => backoffDelay(attempt, REQUEST_BACKOFF),
};

/** Whether a createTopics failure only says the topic is there already (another process made it first). */
export function topicAlreadyExists(err: unknown): boolean {
  if (!(err instanceof Error) || !GenericError.isGenericError(err)) return false;
  // Both GenericError and MultipleErrors (a ResponseError, or the retries' aggregate) search their causes.
  const found: unknown = (err as GenericError).findBy('apiId', 'TOPIC_ALREADY_EXISTS');
  return found !== null;
}

/** The Kafka header that carries a record's origin (BusRecord.origin). */
export const ORIGIN_HEADER = 'vigil-origin';

/** The bus's view of a fetched message; its text is decoded only if someone reads `value`. */
export function toBusMessage(m: KafkaMessage, topic: string): BusMessage {
  const origin = m.headers?.get(ORIGIN_HEADER);
  return messageOfBytes(
    {
      origin: typeof origin === 'string' && origin !== '' ? origin : undefined,
      topic,
      partition: m.partition,
      offset: Number(m.offset),
      key: m.key === undefined || m.key === null || (m.key as unknown) === '' ? null : m.key,
      timestamp: Number(m.timestamp),
    },
    m.value === undefined || m.value === null ? null : m.value,
  );
}

export async function quietly(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch {
    // closing: nothing left to do about it
  }
}

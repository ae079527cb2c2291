// What the Kafka bus and its subscriptions share: the message type and its conversion to a BusMessage, how patient
// every client is with the cluster, the structured check for an existing topic, and closing without caring.

import { GenericError, type Message } from '@platformatic/kafka';
import type { BusMessage } from '../../core/ports.js';
import { type BackoffOptions, backoffDelay } from '../../util/retry.js';

export type StringMessage = Message<string, string, string, string>;

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

export function toBusMessage(m: StringMessage, topic: string): BusMessage {
  const origin = m.headers?.get(ORIGIN_HEADER);
  return {
    ...(typeof origin === 'string' && origin !== '' ? { origin } : {}),
    topic,
    partition: m.partition,
    offset: Number(m.offset),
    key: m.key === undefined || m.key === null || (m.key as unknown) === '' ? null : m.key,
    value: m.value === undefined || m.value === null ? null : m.value,
    timestamp: Number(m.timestamp),
  };
}

export async function quietly(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch {
    // closing: nothing left to do about it
  }
}

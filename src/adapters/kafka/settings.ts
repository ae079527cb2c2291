// Settings of the Kafka bus (--bus kafka).

import { z } from 'zod';
import { group, int, setting } from '../../config/setting.js';

export const KAFKA_SETTINGS = group('Kafka (--bus kafka)', {
  kafkaBrokers: setting(
    '--kafka-brokers',
    'Kafka bootstrap brokers, host:port,...',
    z
      .string()
      .regex(/^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$/u, 'must be host:port[,host:port...]')
      .default('127.0.0.1:9092'),
  ),
  kafkaRawPartitions: setting('--kafka-raw-partitions', 'partitions of vigil.raw when Vigil creates it', int(1, 1000).default(12)),
  kafkaReplication: setting('--kafka-replication', 'replication factor of the topics Vigil creates', int(1, 10).default(1)),
  kafkaNamespace: setting(
    '--kafka-namespace',
    'prefix of topic and group names, so several installs share a cluster',
    z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/u, 'letters, digits, ".", "_" and "-" only')
      .default(''),
  ),
  rawRetentionHours: setting(
    '--raw-retention-hours',
    'how long Kafka keeps raw posts (vigil.raw, set when Vigil creates it): how far back re-classification reaches; the embedded log keeps everything',
    int(1, 87_600).default(168),
  ),
});

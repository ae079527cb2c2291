// Apache Kafka as the bus: roles in different processes meet through it.

import type { BusPlugin } from '../plugin.js';
import { KAFKA_SETTINGS } from './settings.js';

export const kafkaBus: BusPlugin = {
  name: 'kafka',
  doc: 'Apache Kafka (--kafka-brokers): the bus of the distributed mode',
  settings: KAFKA_SETTINGS,
  shared: true,
  async create({ config, log }) {
    const { KafkaBus } = await import('./kafka-bus.js');
    return KafkaBus.open({
      brokers: config.kafkaBrokers.split(','),
      rawPartitions: config.kafkaRawPartitions,
      rawRetentionHours: config.rawRetentionHours,
      replication: config.kafkaReplication,
      namespace: config.kafkaNamespace,
      warn: (m) => log.warn(m),
    });
  },
};

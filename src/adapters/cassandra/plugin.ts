// Apache Cassandra as the store: the rows of the distributed mode, as Project EPIC stored them.

import type { StorePlugin } from '../plugin.js';
import { CASSANDRA_SETTINGS } from './settings.js';

export const cassandraStore: StorePlugin = {
  name: 'cassandra',
  doc: 'Apache Cassandra (--cassandra-contact-points): the store of the distributed mode',
  settings: CASSANDRA_SETTINGS,
  embedded: false,
  async create({ config, log }) {
    const { CassandraPostStore } = await import('./store.js');
    return CassandraPostStore.open({
      contactPoints: config.cassandraContactPoints.split(','),
      localDataCenter: config.cassandraLocalDc,
      keyspace: config.cassandraKeyspace,
      replication: config.cassandraReplication,
      bucketMs: config.cassandraBucket,
      concurrency: config.cassandraConcurrency,
      log,
    });
  },
};

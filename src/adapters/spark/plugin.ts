// Apache Spark (through Spark Connect) as the query engine over the rows in Cassandra.

import type { QueryEnginePlugin } from '../plugin.js';
import { SPARK_SETTINGS } from './settings.js';

export const sparkQueryEngine: QueryEnginePlugin = {
  name: 'spark',
  doc: 'Spark SQL over the rows in Cassandra, through a Spark Connect server (--spark-connect)',
  settings: SPARK_SETTINGS,
  reads: (store) => !store.embedded,
  async create({ config }) {
    const { SparkQueryEngine } = await import('./spark-query-engine.js');
    return new SparkQueryEngine({ url: config.sparkConnect, keyspace: config.cassandraKeyspace });
  },
};

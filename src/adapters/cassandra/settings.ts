// Settings of the Cassandra store (--store cassandra).

import { z } from 'zod';
import { group, int, setting } from '../../config/setting.js';

export const CASSANDRA_SETTINGS = group('Cassandra (--store cassandra)', {
  cassandraContactPoints: setting(
    '--cassandra-contact-points',
    'Cassandra nodes, host:port,...',
    z
      .string()
      .regex(/^[^,\s]+(,[^,\s]+)*$/u, 'must be host[:port][,host[:port]...]')
      .default('127.0.0.1:9042'),
  ),
  cassandraLocalDc: setting('--cassandra-local-dc', 'data center of the contact points', z.string().min(1).default('datacenter1')),
  cassandraKeyspace: setting(
    '--cassandra-keyspace',
    'keyspace (created when missing)',
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,47}$/u, 'letters, digits and _, starting with a letter')
      .default('twitter_analytics'),
  ),
  cassandraReplication: setting(
    '--cassandra-replication',
    'replication of a keyspace Vigil creates',
    z
      .string()
      .regex(/^\{.*\}$/u, "must be a CQL map like {'class': 'NetworkTopologyStrategy', 'dc1': 3}")
      .default("{'class': 'SimpleStrategy', 'replication_factor': 1}"),
  ),
  cassandraBucket: setting(
    '--cassandra-bucket',
    'time bucket of a tweet partition: 1h, 6h, 1d, 7d …',
    z
      .string()
      .regex(/^\d+[hd]$/u, 'must be a number of hours or days, like 1h, 6h, 1d, 7d')
      .default('1d')
      .transform((v) => Number(v.slice(0, -1)) * (v.endsWith('h') ? 3_600_000 : 86_400_000)),
    { shown: '1d' },
  ),
  cassandraConcurrency: setting(
    '--cassandra-concurrency',
    'requests in flight per batch of rows written at most, in each classifier worker thread (a batch waits for them: a slow node slows ingest, not memory)',
    int(1, 1024).default(32),
  ),
});

// Settings of the Spark query engine (--query-engine spark).

import { z } from 'zod';
import { group, setting } from '../../config/setting.js';

export const SPARK_SETTINGS = group('Spark (--query-engine spark)', {
  sparkConnect: setting(
    '--spark-connect',
    'the Spark Connect server for --query-engine spark (its catalog `cassandra` must reach the same Cassandra)',
    z
      .string()
      .regex(/^sc:\/\/[^\s/:;]+(:\d{1,5})?\/?(;[^;=\s]+=[^;\s]*)*$/u, 'must be a Spark Connect URL like sc://127.0.0.1:15002')
      .default('sc://127.0.0.1:15002'),
  ),
});

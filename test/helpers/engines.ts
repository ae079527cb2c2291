// Where the tests find the engines that scripts/engines/*.sh start (the same variables configure Vigil), and cqlsh,
// a Cassandra client independent of Vigil's, to read back what Vigil stored.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const KAFKA = process.env.VIGIL_KAFKA_BROKERS ?? '127.0.0.1:9092';
export const CASSANDRA = process.env.VIGIL_CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042';
export const SPARK = process.env.VIGIL_SPARK_CONNECT ?? 'sc://127.0.0.1:15002';
const CQLSH = process.env.VIGIL_CQLSH ?? 'cqlsh';

/** Runs one CQL statement with cqlsh against the first contact point; its standard output. */
export async function cqlsh(statement: string): Promise<string> {
  const [host, port = '9042'] = CASSANDRA.split(',')[0].split(':');
  const { stdout } = await promisify(execFile)(CQLSH, [host, port, '--no-color', '-e', statement], { maxBuffer: 1 << 26 });
  return stdout;
}

/** The number a `SELECT count(*)` printed by cqlsh. */
export async function cqlshCount(statement: string): Promise<number> {
  return Number(/^\s*(\d+)\s*$/mu.exec(await cqlsh(statement))?.[1]);
}

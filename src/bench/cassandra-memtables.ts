// What the distributed figures depend on most in the Cassandra they ran against: its memtable space (a quarter of
// its heap unless set). Small memtables are flushed often, and the many small SSTables are compacted again and again.

import { Client } from 'cassandra-driver';

/** The node's `memtable_heap_space` (as "512MiB"), or null when it cannot be read (an older Cassandra). */
export async function cassandraMemtableSpace(contactPoints: string[]): Promise<string | null> {
  const client = new Client({ contactPoints, localDataCenter: 'datacenter1' });
  try {
    const r = await client.execute("SELECT value FROM system_views.settings WHERE name = 'memtable_heap_space'");
    const value: unknown = r.first()?.get('value');
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  } finally {
    await client.shutdown();
  }
}

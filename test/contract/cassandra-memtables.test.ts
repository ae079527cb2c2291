// The bench names the memtable space of the Cassandra its distributed rows ran against (src/bench/run.ts): read from a
// real node (started by scripts/engines/cassandra.sh; `npm test` does it).

import { describe, expect, it } from 'vitest';
import { cassandraMemtableSpace } from '../../src/bench/cassandra-memtables.js';
import { CASSANDRA } from '../helpers/engines.js';

describe("the bench's Cassandra memtables", () => {
  it("reads the node's memtable_heap_space, a size in MiB", async () => {
    expect(await cassandraMemtableSpace(CASSANDRA.split(','))).toMatch(/^[1-9][0-9]*MiB$/u);
  });

  it('gives null, not an error, when no node answers', async () => {
    expect(await cassandraMemtableSpace(['127.0.0.1:1'])).toBeNull();
  });
});

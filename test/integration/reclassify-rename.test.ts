// A re-classification that runs while its event is renamed follows the event: the job is known by the new name and
// every row it wrote is under the new name when it ends.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import type { VigilEvent } from '../../src/core/event.js';
import { TOPICS } from '../../src/core/ports.js';
import { Reclassifier } from '../../src/roles/analytics/reclassifier.js';
import { silentLogger } from '../../src/util/log.js';
import { line, tweet } from '../helpers/tweets.js';
import { waitFor } from '../helpers/vigil-process.js';

describe('re-classification and renames', () => {
  it('follows its event to its new name: the job answers to it and every row it wrote is there', async () => {
    const bus = await FileLogBus.open({ dir: join(await mkdtemp(join(tmpdir(), 'vigil-reclass-')), 'bus') });
    const db = await openDuckDb(':memory:');
    const store = await DuckDbPostStore.open(db);
    await bus.publish(
      TOPICS.raw,
      Array.from({ length: 12 }, (_, i) => ({ key: String(i), value: line(tweet({ id: String(100 + i), text: `levee breach ${i}` })) })),
    );
    const event: VigilEvent = {
      id: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      name: 'Levee',
      keywords: ['levee'],
      active: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '',
    };
    let lookups = 0;
    // Renamed once the job has read its first batch.
    const catalog = { list: async () => [lookups++ < 2 ? event : { ...event, name: 'Levee breach 2012' }] };
    const reclassifier = new Reclassifier(bus, store, catalog, silentLogger, 4);
    await reclassifier.start('Levee', '1970-01-01T00:00:00.000Z');
    await waitFor('the job done', async () => reclassifier.get('Levee breach 2012')?.state === 'done');
    expect(reclassifier.get('Levee')).toBeNull();
    expect(reclassifier.get('Levee breach 2012')).toMatchObject({ event: 'Levee breach 2012', rows: 12, added: 12 });
    expect((await store.eventStats('Levee')).count).toBe(0);
    expect((await store.eventStats('Levee breach 2012')).count).toBe(12);
    expect(await store.storedEvents()).toEqual([{ name: 'Levee breach 2012', eventId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }]);
    await reclassifier.close();
    await store.close();
    db.close();
    await bus.close();
  });
});

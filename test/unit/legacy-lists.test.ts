// Rows stored when multi-valued columns were comma-joined text are read back as the lists they were.

import { describe, expect, it } from 'vitest';
import { legacyList, legacyMentionHandles, legacyMentionNames, mentionNamesAmbiguous } from '../../src/core/legacy-lists.js';
import { lineOf } from '../helpers/real-payloads.js';

describe('legacy comma-joined columns', () => {
  it('split back into their list, empty and null being the empty list', () => {
    expect(legacyList('sandy,flooding')).toEqual(['sandy', 'flooding']);
    expect(legacyList('')).toEqual([]);
    expect(legacyList(null)).toEqual([]);
  });

  it('give one mentioned name per id, an empty name being null', () => {
    const row = { t_id: '1', um_id: '10,11,12', um_name: 'Ana,,Bo', raw: '{}' };
    expect(mentionNamesAmbiguous(row)).toBe(false);
    expect(legacyMentionNames(row)).toEqual(['Ana', null, 'Bo']);
  });

  it('take the names again from the raw post when a name held a comma (a real Gnip payload: "Gnip, Inc.")', () => {
    const raw = lineOf('twitter-v1/mentions.json');
    const post = JSON.parse(raw) as { id_str: string };
    const row = { t_id: post.id_str, um_id: '2382763597,16958875,783214', um_name: '👸🏼🙄 Fiona,Gnip, Inc.,Twitter', raw };
    expect(mentionNamesAmbiguous(row)).toBe(true);
    expect(legacyMentionNames(row)).toEqual(['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter']);
  });

  it('fall back to the split when the raw post cannot be read, rather than lose the names', () => {
    const row = { t_id: '1', um_id: '10', um_name: 'Gnip, Inc.', raw: 'not json' };
    expect(legacyMentionNames(row)).toEqual(['Gnip', ' Inc.']);
  });

  it("give one null per id where the platform gave no names nor handles (Bluesky's DIDs), as new rows have", () => {
    const row = { t_id: 'at://x', um_id: 'did:plc:a,did:plc:b', um_name: null, um_screen_name: null, raw: '{}' };
    expect(legacyMentionNames(row)).toEqual([null, null]);
    expect(legacyMentionHandles(row)).toEqual([null, null]);
    expect(legacyMentionHandles({ um_id: null, um_screen_name: null })).toEqual([]);
  });
});

// Every row of an event as a store gives it, every column (raw included): the store's slices joined.

import type { PostStore } from '../../src/core/ports.js';
import { TWEET_COLUMN_NAMES, type TweetRow } from '../../src/core/row.js';

export async function eventRows(store: Pick<PostStore, 'eventRowSlices'>, event: string): Promise<TweetRow[]> {
  const rows: TweetRow[] = [];
  for await (const slice of store.eventRowSlices(event, TWEET_COLUMN_NAMES)) rows.push(...(slice as TweetRow[]));
  return rows;
}

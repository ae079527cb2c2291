// Migration of a keyspace made when `event_kw`, `media_url` and `um_*` were comma-joined text: every row's values are
// copied, as lists, into the `<name>_list` columns (added before this runs), each with the write time of the row's
// `raw` (so a live row still wins over a backfilled one as before); then the text columns are dropped. Cut short, it
// runs again at the next start: the copy writes the same values.

import { type Client, types } from 'cassandra-driver';
import { legacyList, legacyMentionHandles, legacyMentionNames } from '../../core/legacy-lists.js';
import type { RetypedListColumn } from '../../core/row.js';
import { msSince } from '../../util/elapsed.js';
import type { Logger } from '../../util/log.js';
import { cqlColumn, NULLABLE_ELEMENT_COLUMNS } from './schema.js';

type Text = string | null;

function listsOf(r: types.Row, columns: readonly RetypedListColumn[]): (string | null)[][] {
  return columns.map((c) => {
    const um_id = r.get('um_id') as Text;
    const list: (string | null)[] =
      c === 'um_name'
        ? legacyMentionNames({ t_id: r.get('t_id') as string, um_id, um_name: r.get('um_name') as Text, raw: (r.get('raw') as Text) ?? '' })
        : c === 'um_screen_name'
          ? legacyMentionHandles({ um_id, um_screen_name: r.get('um_screen_name') as Text })
          : legacyList(r.get(c) as Text);
    return NULLABLE_ELEMENT_COLUMNS.has(c) ? list.map((x) => x ?? '') : list;
  });
}

export async function retypeListColumns(client: Client, keyspace: string, columns: readonly RetypedListColumn[], log?: Logger): Promise<void> {
  const started = performance.now();
  const read = `SELECT event_name, bucket, t_id, raw, writetime(raw) AS at, ${[...new Set([...columns, 'um_id'])].join(', ')} FROM ${keyspace}.tweet`;
  const write = `UPDATE ${keyspace}.tweet USING TIMESTAMP ? SET ${columns.map((c) => `${cqlColumn(c)} = ?`).join(', ')} WHERE event_name = ? AND bucket = ? AND t_id = ?`;
  let rows = 0;
  let pageState: string | undefined;
  do {
    // One page at a time, its writes done before the next is read: memory stays bounded on any table.
    const page = await client.execute(read, [], { prepare: true, fetchSize: 500, pageState });
    await Promise.all(
      page.rows.map((r) => {
        const at = (r.get('at') as types.Long | null) ?? types.Long.fromNumber(Date.now() * 1000);
        return client.execute(write, [at, ...listsOf(r, columns), r.get('event_name'), r.get('bucket'), r.get('t_id')], { prepare: true });
      }),
    );
    rows += page.rows.length;
    pageState = page.pageState ?? undefined;
  } while (pageState);
  // um_id goes last: while any text column is left, um_id is there to align the mentions with.
  for (const c of [...columns.filter((x) => x !== 'um_id'), ...columns.filter((x) => x === 'um_id')])
    await client.execute(`ALTER TABLE ${keyspace}.tweet DROP ${c}`, [], { prepare: false });
  log?.info(`${keyspace}.tweet: ${columns.join(', ')} are lists now (they were comma-joined text), in the columns ${columns.map(cqlColumn).join(', ')}`, {
    rows,
    ms: msSince(started),
  });
}

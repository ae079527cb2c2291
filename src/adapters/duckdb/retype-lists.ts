// Migration of a `tweet` table made when `event_kw`, `media_url` and `um_*` were comma-joined text: each becomes
// VARCHAR[] in one transaction. Ids, handles, URLs and keywords split on the comma; mentioned names whose split does
// not give one per id (a name holding a comma) are taken again from the row's raw post (core/legacy-lists.ts).

import { type DuckDBConnection, listValue } from '@duckdb/node-api';
import { type LegacyMentionRow, legacyMentionNames } from '../../core/legacy-lists.js';
import { RETYPED_LIST_COLUMNS } from '../../core/row.js';
import { msSince } from '../../util/elapsed.js';
import type { Logger } from '../../util/log.js';
import { runForEach } from './prepared.js';

/** The columns of RETYPED_LIST_COLUMNS still of a text type in this database's `tweet` table. */
async function textColumns(conn: DuckDBConnection): Promise<string[]> {
  const r = await conn.runAndReadAll(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tweet' AND data_type = 'VARCHAR'",
  );
  const text = new Set(r.getRows().map((row) => String(row[0])));
  return RETYPED_LIST_COLUMNS.filter((c) => text.has(c));
}

const splitSql = (c: string): string => `CASE WHEN ${c} IS NULL OR ${c} = '' THEN []::VARCHAR[] ELSE string_split(${c}, ',') END`;

/**
 * As core/legacy-lists.ts reads them: a mention's missing name or handle is null, one per id (um_id, altered first,
 * is a list by then).
 */
const USING: Partial<Record<string, string>> = {
  um_name: `CASE WHEN um_name IS NULL THEN list_transform(um_id, x -> NULL::VARCHAR) ELSE list_transform(${splitSql('um_name')}, x -> nullif(x, '')) END`,
  um_screen_name: `CASE WHEN um_screen_name IS NULL THEN list_transform(um_id, x -> NULL::VARCHAR) ELSE ${splitSql('um_screen_name')} END`,
};

export async function retypeListColumns(conn: DuckDBConnection, log?: Logger): Promise<void> {
  const columns = await textColumns(conn);
  if (columns.length === 0) return;
  const started = performance.now();
  // Names to take from the raw post: read before the text goes.
  const fixes: { id: string; names: (string | null)[] }[] = [];
  await conn.run('BEGIN TRANSACTION');
  try {
    if (columns.includes('um_name') && columns.includes('um_id')) {
      const r = await conn.runAndReadAll(
        "SELECT id::VARCHAR, t_id, um_id, um_name, raw FROM tweet WHERE um_name IS NOT NULL AND len(string_split(um_name, ',')) <> len(string_split(coalesce(um_id, ''), ','))",
      );
      for (const [id, t_id, um_id, um_name, raw] of r.getRows()) {
        const row: LegacyMentionRow = { t_id: String(t_id), um_id: um_id as string | null, um_name: um_name as string | null, raw: String(raw) };
        fixes.push({ id: String(id), names: legacyMentionNames(row) });
      }
    }
    for (const c of columns) {
      const using = USING[c] ?? splitSql(c);
      await conn.run(`ALTER TABLE tweet ALTER ${c} SET DATA TYPE VARCHAR[] USING (${using})`);
    }
    if (fixes.length > 0) {
      await runForEach(
        conn,
        'UPDATE tweet SET um_name = $1::VARCHAR[] WHERE id = $2::UUID',
        fixes.map((f) => [listValue(f.names), f.id]),
      );
    }
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  log?.info(`tweet: ${columns.join(', ')} are lists now (they were comma-joined text)`, {
    rows: await rowCount(conn),
    namesFromRaw: fixes.length,
    ms: msSince(started),
  });
}

async function rowCount(conn: DuckDBConnection): Promise<number> {
  return Number((await conn.runAndReadAll('SELECT count(*) FROM tweet')).getRows()[0][0]);
}

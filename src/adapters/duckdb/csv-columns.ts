// How a table's columns are written to CSV, for exports and query results alike.

import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The select list writing `table` to CSV: lists as JSON arrays (`["a","Gnip, Inc."]`: a value holding a comma stays
 * one value, and pandas and R read them back), and text that a spreadsheet would run as a formula (starting with
 * = + - @, a tab or a carriage return) prefixed with an apostrophe, as OWASP advises: a post cannot run code in the
 * researcher's sheet.
 */
export async function csvSelectList(conn: DuckDBConnection, table: string): Promise<string> {
  const cols = (
    await conn.runAndReadAll('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])
  ).getRows();
  return cols
    .map(([name, type]) => {
      const c = `"${String(name).replaceAll('"', '""')}"`;
      const t = String(type);
      if (t.endsWith('[]') || t.startsWith('STRUCT') || t.startsWith('MAP') || t === 'JSON') return `to_json(${c})::VARCHAR AS ${c}`;
      return t === 'VARCHAR' ? `CASE WHEN regexp_matches(${c}, '^[=+\\-@\\t\\r]') THEN '''' || ${c} ELSE ${c} END AS ${c}` : c;
    })
    .join(', ');
}

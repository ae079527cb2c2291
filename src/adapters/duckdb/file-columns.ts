// How a table's columns are written to files (CSV, JSONL, Parquet), for exports and query results alike.

import type { DuckDBConnection } from '@duckdb/node-api';

export interface FileColumnsOptions {
  /** CSV: lists as JSON arrays, formulas defused. */
  csv: boolean;
  /** Columns left out (e.g. `raw`, two thirds of an export). */
  without?: readonly string[];
}

/**
 * The select list writing `table` to a file. Timestamps (stored in UTC) are written with their zone, as TIMESTAMPTZ
 * (`2012-10-29 12:00:00+00` in CSV, isAdjustedToUTC in Parquet), so no reader takes them for local time. For CSV,
 * lists are JSON arrays (`["a","Gnip, Inc."]`: a value holding a comma stays one value, and pandas and R read them
 * back), and text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe, as OWASP advises: a post cannot run code in the researcher's sheet.
 */
export async function fileSelectList(conn: DuckDBConnection, table: string, o: FileColumnsOptions): Promise<string> {
  const cols = (
    await conn.runAndReadAll('SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table])
  ).getRows();
  return cols
    .filter(([name]) => !o.without?.includes(String(name)))
    .map(([name, type]) => {
      const c = `"${String(name).replaceAll('"', '""')}"`;
      const t = String(type);
      if (t === 'TIMESTAMP') return `${c}::TIMESTAMPTZ AS ${c}`;
      if (!o.csv) return c;
      if (t.endsWith('[]') || t.startsWith('STRUCT') || t.startsWith('MAP') || t === 'JSON') return `to_json(${c})::VARCHAR AS ${c}`;
      return t === 'VARCHAR' ? `CASE WHEN regexp_matches(${c}, '^[=+\\-@\\t\\r]') THEN '''' || ${c} ELSE ${c} END AS ${c}` : c;
    })
    .join(', ');
}

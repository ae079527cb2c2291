import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowRows } from '../../src/adapters/spark/arrow-rows.js';
import { parseConnectUrl } from '../../src/adapters/spark/spark-connect-client.js';
import { DIALECTS, sparkString, sqlString, wordCountSql } from '../../src/core/analyses.js';

describe('Spark Connect client pieces', () => {
  it('reads Spark Connect URLs, with the default port and parameters', () => {
    expect(parseConnectUrl('sc://127.0.0.1:15002')).toEqual({ host: '127.0.0.1', port: 15002, token: null, useSsl: false, userId: 'vigil' });
    expect(parseConnectUrl('sc://spark.example')).toMatchObject({ host: 'spark.example', port: 15002 });
    expect(parseConnectUrl('sc://h:443/;token=abc;user_id=ana')).toEqual({ host: 'h', port: 443, token: 'abc', useSsl: true, userId: 'ana' });
    expect(() => parseConnectUrl('http://h:15002')).toThrow(/sc:\/\/host:port/u);
  });

  it('turns Arrow batches into rows like the embedded engine: integers as numbers, times as ISO-8601, lists as arrays', () => {
    const t = tableFromArrays({ n: BigInt64Array.from([1n, 9007199254740993n]), word: ['a', 'b'], d: Float64Array.from([0.5, 1]) });
    const { columns, rows } = arrowRows([tableToIPC(t, 'stream')]);
    expect(columns).toEqual([
      { name: 'n', type: 'bigint' },
      { name: 'word', type: 'string' },
      { name: 'd', type: 'double' },
    ]);
    expect(rows).toEqual([
      { n: 1, word: 'a', d: 0.5 },
      { n: '9007199254740993', word: 'b', d: 1 },
    ]);
    expect(arrowRows([tableToIPC(t, 'stream'), tableToIPC(t, 'stream')], 3).rows).toHaveLength(3);
  });

  it('writes string literals each dialect reads back unchanged (Spark unescapes backslashes)', () => {
    expect(sqlString("it's a \\ path")).toBe("'it''s a \\ path'");
    expect(sparkString("it's a \\ path")).toBe("'it\\'s a \\\\ path'");
  });

  it("the thesis's word count: one definition, each dialect's split and explode", () => {
    expect(wordCountSql(DIALECTS.duckdb)).toContain("unnest(string_split(t_text, ' '))");
    expect(wordCountSql(DIALECTS.spark)).toContain("explode(split(t_text, ' ', -1))");
  });
});

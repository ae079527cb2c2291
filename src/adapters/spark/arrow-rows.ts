// Arrow IPC batches from Spark to the rows a QueryResult carries: JSON-friendly values in the same forms the
// embedded engine gives (integers as numbers when exact, timestamps as ISO-8601 UTC, arrays as arrays).

import { DataType, type Field, type Schema, tableFromIPC } from 'apache-arrow';

function sparkTypeName(t: DataType): string {
  if (DataType.isDictionary(t)) return sparkTypeName(t.dictionary);
  if (DataType.isInt(t)) return ({ 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' } as Record<number, string>)[t.bitWidth] ?? 'bigint';
  if (DataType.isFloat(t)) return t.precision === 1 ? 'float' : 'double';
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return 'string';
  if (DataType.isBool(t)) return 'boolean';
  if (DataType.isTimestamp(t)) return 'timestamp';
  if (DataType.isDate(t)) return 'date';
  if (DataType.isDecimal(t)) return `decimal(${t.precision},${t.scale})`;
  if (DataType.isBinary(t) || DataType.isLargeBinary(t)) return 'binary';
  if (DataType.isList(t)) return `array<${sparkTypeName(t.children[0].type)}>`;
  if (DataType.isStruct(t)) return `struct<${t.children.map((c: Field) => `${c.name}:${sparkTypeName(c.type)}`).join(',')}>`;
  if (DataType.isMap(t)) return 'map';
  return String(t).toLowerCase();
}

const exact = (v: bigint): number | string => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());

function toJson(v: unknown, t: DataType): unknown {
  if (v === null || v === undefined) return null;
  if (DataType.isDictionary(t)) return toJson(v, t.dictionary);
  if (typeof v === 'bigint') return DataType.isTimestamp(t) ? new Date(Number(v / 1000n)).toISOString() : exact(v);
  if (DataType.isTimestamp(t)) return new Date(v as number).toISOString();
  if (DataType.isDate(t)) return new Date(v as number).toISOString().slice(0, 10);
  if (DataType.isDecimal(t)) return Number(String(v)) / 10 ** t.scale;
  if (DataType.isBinary(t) || DataType.isLargeBinary(t)) return Buffer.from(v as Uint8Array).toString('base64');
  if (DataType.isList(t)) return [...(v as Iterable<unknown>)].map((x) => toJson(x, t.children[0].type));
  if (DataType.isStruct(t)) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(t.children.map((c: Field) => [c.name, toJson(o[c.name], c.type)]));
  }
  if (DataType.isMap(t)) return Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), x]));
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

export interface ArrowRows {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

/** Decodes the batches (each a self-contained IPC stream) into at most `maxRows` rows. */
export function arrowRows(batches: readonly Uint8Array[], maxRows = Infinity): ArrowRows {
  let schema: Schema | null = null;
  const rows: Record<string, unknown>[] = [];
  for (const data of batches) {
    const table = tableFromIPC(data);
    schema ??= table.schema;
    const fields = table.schema.fields;
    const vectors = fields.map((_, i) => table.getChildAt(i));
    for (let r = 0; r < table.numRows && rows.length < maxRows; r++) {
      const row: Record<string, unknown> = {};
      for (const [i, f] of fields.entries()) row[f.name] = toJson(vectors[i]?.get(r), f.type);
      rows.push(row);
    }
  }
  return { columns: (schema?.fields ?? []).map((f) => ({ name: f.name, type: sparkTypeName(f.type) })), rows };
}

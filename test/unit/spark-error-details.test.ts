// Spark Connect's structured errors: the error class is read from the gRPC status details (Spark 4.0's ErrorInfo
// metadata) or, when the server sends only the exception's classes (Spark 3.5), from the message's [CLASS] prefix.

import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { sparkErrorInfo } from '../../src/adapters/spark/error-details.js';

function status(reason: string, metadata: Record<string, string>, typeUrl = 'type.googleapis.com/google.rpc.ErrorInfo'): Uint8Array {
  const info = new BinaryWriter().tag(1, 2).string(reason).tag(2, 2).string('org.apache.spark');
  for (const [k, v] of Object.entries(metadata)) info.tag(3, 2).bytes(new BinaryWriter().tag(1, 2).string(k).tag(2, 2).string(v).finish());
  const any = new BinaryWriter().tag(1, 2).string(typeUrl).tag(2, 2).bytes(info.finish()).finish();
  return new BinaryWriter().tag(1, 0).int32(13).tag(2, 2).string('boom').tag(3, 2).bytes(any).finish();
}

describe('Spark error details', () => {
  it('read the error class from the ErrorInfo metadata (Spark 4.0)', () => {
    const info = sparkErrorInfo(status('org.apache.spark.sql.AnalysisException', { errorClass: 'TABLE_OR_VIEW_NOT_FOUND', sqlState: '42P01' }), 'whatever');
    expect(info).toMatchObject({ reason: 'org.apache.spark.sql.AnalysisException', errorClass: 'TABLE_OR_VIEW_NOT_FOUND' });
    expect(info?.metadata.sqlState).toBe('42P01');
  });

  it('take the class from the message prefix when the metadata has none (Spark 3.5)', () => {
    const details = status('org.apache.spark.sql.catalyst.ExtendedAnalysisException', { classes: '["org.apache.spark.sql.AnalysisException"]' });
    expect(sparkErrorInfo(details, '[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column ... cannot be resolved')?.errorClass).toBe(
      'UNRESOLVED_COLUMN.WITH_SUGGESTION',
    );
    expect(sparkErrorInfo(details, 'no class here [TABLE_OR_VIEW_NOT_FOUND]')?.errorClass).toBeNull();
  });

  it('have no details when the trailer is missing, of another type, or not protobuf', () => {
    expect(sparkErrorInfo(undefined)).toBeNull();
    expect(sparkErrorInfo(status('x', { errorClass: 'Y' }, 'type.googleapis.com/google.rpc.DebugInfo'))).toBeNull();
    expect(sparkErrorInfo(new Uint8Array([0xff, 0xff, 0xff]))).toBeNull();
  });
});

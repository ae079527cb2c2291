// The structured part of a Spark Connect error: the server puts a google.rpc.Status in the gRPC trailer
// `grpc-status-details-bin`, whose details carry a google.rpc.ErrorInfo with the Spark error class in its metadata
// (`errorClass`, e.g. TABLE_OR_VIEW_NOT_FOUND, from Spark 4.0; Spark 3.5 sends the exception's classes only, and its
// error class as the documented `[ERROR_CLASS]` prefix of the message). Decoded by hand: three small messages.
//   Status    { int32 code = 1; string message = 2; repeated Any details = 3; }
//   Any       { string type_url = 1; bytes value = 2; }
//   ErrorInfo { string reason = 1; string domain = 2; map<string, string> metadata = 3; }

import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

export interface SparkErrorInfo {
  /** The exception class on the server (org.apache.spark.sql.AnalysisException). */
  reason: string;
  /** Spark's error class (TABLE_OR_VIEW_NOT_FOUND), when the error has one. */
  errorClass: string | null;
  metadata: Record<string, string>;
}

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** Reads each field of a message: `on(field, reader)` consumes the fields it knows; the rest are skipped. */
function fields(bytes: Uint8Array, on: (field: number, r: BinaryReader) => boolean): void {
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const [field, wire] = r.tag();
    // (BinaryReader.skip passes over a field's bytes; nothing here is a skipped test)
    if (wire !== WireType.LengthDelimited || !on(field, r)) r.skip(wire);
  }
}

function errorInfo(bytes: Uint8Array): SparkErrorInfo {
  let reason = '';
  const metadata: Record<string, string> = {};
  fields(bytes, (field, r) => {
    if (field === 1) reason = r.string();
    else if (field === 3) {
      let key = '';
      let value = '';
      fields(r.bytes(), (f, e) => {
        if (f === 1) key = e.string();
        else if (f === 2) value = e.string();
        else return false;
        return true;
      });
      metadata[key] = value;
    } else return false;
    return true;
  });
  return { reason, errorClass: metadata.errorClass ?? null, metadata };
}

/**
 * The ErrorInfo of a `grpc-status-details-bin` trailer, or null when it has none (or cannot be read). Without an
 * `errorClass` in it (Spark 3.5), the class comes from the message's `[ERROR_CLASS]` prefix, which Spark puts on
 * every error that has one.
 */
export function sparkErrorInfo(statusDetails: Uint8Array | undefined, message = ''): SparkErrorInfo | null {
  const info = decodeStatus(statusDetails);
  if (info && info.errorClass === null) info.errorClass = /^\[([A-Z][A-Z0-9_.]*)\]/u.exec(message)?.[1] ?? null;
  return info;
}

function decodeStatus(statusDetails: Uint8Array | undefined): SparkErrorInfo | null {
  if (!statusDetails) return null;
  let found: SparkErrorInfo | null = null;
  try {
    fields(statusDetails, (field, r) => {
      if (field !== 3) return false;
      let typeUrl = '';
      let value = null as Uint8Array | null;
      fields(r.bytes(), (f, a) => {
        if (f === 1) typeUrl = a.string();
        else if (f === 2) value = a.bytes();
        else return false;
        return true;
      });
      if (typeUrl === ERROR_INFO && value) found ??= errorInfo(value);
      return true;
    });
  } catch {
    return null;
  }
  return found;
}

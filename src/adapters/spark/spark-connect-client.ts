// A Spark Connect client: gRPC from Node (@grpc/grpc-js) with the protocol's messages (proto/spark/connect, generated
// by protoc-gen-es). It runs one SQL statement per operation in its session and returns the Arrow IPC batches; it
// can interrupt an operation and releases each one when done. One session per client: temporary views live there.

import { randomUUID } from 'node:crypto';
import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { type SparkErrorInfo, sparkErrorInfo } from './error-details.js';
import {
  ExecutePlanRequestSchema,
  type ExecutePlanResponse,
  ExecutePlanResponseSchema,
  InterruptRequest_InterruptType,
  InterruptRequestSchema,
  InterruptResponseSchema,
  ReleaseExecuteRequestSchema,
  ReleaseExecuteResponseSchema,
} from './gen/spark/connect/connect_pb.js';

const SERVICE = '/spark.connect.SparkConnectService';
const CLIENT_TYPE = 'vigil';

export interface ConnectTarget {
  host: string;
  port: number;
  token: string | null;
  useSsl: boolean;
  userId: string;
}

/** Reads a Spark Connect URL: `sc://host:port[/;token=…;use_ssl=true;user_id=…]` (port 15002 when left out). */
export function parseConnectUrl(url: string): ConnectTarget {
  const m = /^sc:\/\/(\[[^\]]+\]|[^:/;]+)(?::(\d{1,5}))?\/?((?:;[^;=]+=[^;]*)*)$/u.exec(url.trim());
  if (!m) throw new Error(`"${url}" is not a Spark Connect URL: use sc://host:port, e.g. sc://127.0.0.1:15002`);
  const params = new Map<string, string>();
  for (const kv of m[3].split(';').filter((x) => x !== '')) {
    const [k, v] = kv.split('=');
    params.set(k.toLowerCase(), decodeURIComponent(v ?? ''));
  }
  const token = params.get('token') ?? null;
  return {
    host: m[1],
    port: m[2] ? Number(m[2]) : 15002,
    token,
    useSsl: params.get('use_ssl') === 'true' || token !== null,
    userId: params.get('user_id') ?? 'vigil',
  };
}

/** An error Spark reported, with its message (e.g. `[TABLE_OR_VIEW_NOT_FOUND] …`), or a transport failure. */
export class SparkError extends Error {
  /** `info.errorClass`: Spark's error class (TABLE_OR_VIEW_NOT_FOUND …), read from the gRPC status details. */
  constructor(
    message: string,
    readonly code: grpc.status,
    readonly info: SparkErrorInfo | null = null,
  ) {
    super(message);
    this.name = 'SparkError';
  }
}

/** A gRPC error as a SparkError, with the error class the server sent in the status details. */
export function sparkError(err: grpc.ServiceError): SparkError {
  const [details] = err.metadata?.get('grpc-status-details-bin') ?? [];
  const message = err.details || err.message;
  return new SparkError(message, err.code, sparkErrorInfo(typeof details === 'string' ? undefined : details, message));
}

function codec<D extends DescMessage>(schema: D): { serialize: (m: MessageShape<D>) => Buffer; deserialize: (b: Buffer) => MessageShape<D> } {
  return { serialize: (m) => Buffer.from(toBinary(schema, m)), deserialize: (b) => fromBinary(schema, new Uint8Array(b)) };
}

const execute = codec(ExecutePlanRequestSchema);
const executeResponse = codec(ExecutePlanResponseSchema);
const interrupt = codec(InterruptRequestSchema);
const interruptResponse = codec(InterruptResponseSchema);
const release = codec(ReleaseExecuteRequestSchema);
const releaseResponse = codec(ReleaseExecuteResponseSchema);

export interface ExecuteOptions {
  /** Aborting interrupts the operation on the server. */
  signal?: AbortSignal;
  /** Stop reading (and interrupt the operation) once this many rows have arrived. */
  maxRows?: number;
}

const cancelled = (): SparkError => new SparkError('the query was cancelled', grpc.status.CANCELLED);

export class SparkConnectClient {
  readonly sessionId = randomUUID();
  private readonly client: grpc.Client;
  private readonly userContext: { userId: string; userName: string };
  private readonly metadata = new grpc.Metadata();

  constructor(readonly url: string) {
    const t = parseConnectUrl(url);
    const credentials = t.useSsl ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.client = new grpc.Client(`${t.host}:${t.port}`, credentials, { 'grpc.max_receive_message_length': 256 * 1024 * 1024 });
    if (t.token) this.metadata.set('authorization', `Bearer ${t.token}`);
    this.userContext = { userId: t.userId, userName: t.userId };
  }

  /**
   * Runs one SQL statement and returns its Arrow IPC batches (each a self-contained IPC stream) in order, and
   * whether reading stopped at `maxRows`.
   */
  executeSql(query: string, o: ExecuteOptions = {}): Promise<{ batches: Uint8Array[]; rows: number; cut: boolean }> {
    const operationId = randomUUID();
    const request = create(ExecutePlanRequestSchema, {
      sessionId: this.sessionId,
      userContext: this.userContext,
      operationId,
      clientType: CLIENT_TYPE,
      plan: { opType: { case: 'root', value: { relType: { case: 'sql', value: { query } } } } },
    });
    // A query stopped before it began is not sent: the server would start it, and a call cancelled before its
    // listeners are on emits an error nobody hears, which ends the process.
    if (o.signal?.aborted) return Promise.reject(cancelled());
    return new Promise((resolve, reject) => {
      const batches: Uint8Array[] = [];
      let rows = 0;
      let settled = false;
      const call = this.client.makeServerStreamRequest(`${SERVICE}/ExecutePlan`, execute.serialize, executeResponse.deserialize, request, this.metadata);
      const finish = (err: Error | null, cut = false): void => {
        if (settled) return;
        settled = true;
        o.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve({ batches, rows, cut });
        void this.release(operationId);
      };
      const stop = (): void => {
        call.cancel();
        void this.interrupt(operationId);
      };
      const onAbort = (): void => {
        stop();
        finish(cancelled());
      };
      call.on('data', (r: ExecutePlanResponse) => {
        if (r.responseType.case !== 'arrowBatch') return;
        const b = r.responseType.value;
        batches.push(b.data);
        rows += Number(b.rowCount);
        if (o.maxRows !== undefined && rows > o.maxRows) {
          stop();
          finish(null, true);
        }
      });
      call.on('error', (err: grpc.ServiceError) => finish(sparkError(err)));
      call.on('end', () => finish(null));
      o.signal?.addEventListener('abort', onAbort);
    });
  }

  /** Asks the server to stop an operation (best effort: it may have finished). */
  interrupt(operationId: string): Promise<void> {
    const req = create(InterruptRequestSchema, {
      sessionId: this.sessionId,
      userContext: this.userContext,
      clientType: CLIENT_TYPE,
      interruptType: InterruptRequest_InterruptType.OPERATION_ID,
      interrupt: { case: 'operationId', value: operationId },
    });
    return new Promise((resolve) =>
      this.client.makeUnaryRequest(`${SERVICE}/Interrupt`, interrupt.serialize, interruptResponse.deserialize, req, this.metadata, () => resolve()),
    );
  }

  /** Frees what the server keeps of a finished operation (best effort). */
  release(operationId: string): Promise<void> {
    const req = create(ReleaseExecuteRequestSchema, {
      sessionId: this.sessionId,
      userContext: this.userContext,
      operationId,
      clientType: CLIENT_TYPE,
      release: { case: 'releaseAll', value: {} },
    });
    return new Promise((resolve) =>
      this.client.makeUnaryRequest(`${SERVICE}/ReleaseExecute`, release.serialize, releaseResponse.deserialize, req, this.metadata, () => resolve()),
    );
  }

  close(): void {
    this.client.close();
  }
}

// Observing what was collected: per-event stats and summaries, the newest posts, exports, read-only SQL (with
// cancellation), the schema, and notebooks.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { BUCKETS, DIALECTS, type Bucket } from '../core/analyses.js';
import { validateNotebookCells, validateNotebookName } from '../core/notebook.js';
import { type QueryEngine, type PostStore } from '../core/ports.js';
import { TWEET_COLUMNS } from '../core/row.js';
import { buildNetwork, NETWORK_TYPES, toEdgeCsv, toGexf, type NetworkType } from '../core/networks.js';

/** Rows read to build a network (the most recent events are far smaller; a bigger one is cut here). */
const NETWORK_MAX_ROWS = 2_000_000;
import type { ReadyAnalyses } from '../roles/analytics/ready-analyses.js';
import type { QueryGate } from '../roles/analytics/query-gate.js';
import { LOCAL } from './access.js';
import type { VigilEvent } from '../core/event.js';
import { EXPORT_FORMATS, type ExportFile, type ExportFormat } from '../adapters/duckdb/export.js';
import type { DatasetManifest } from '../core/manifest.js';
import type { DuckDbNotebookRepository } from '../adapters/duckdb/notebook-repository.js';
import type { Readable } from 'node:stream';
import type { CoverageReport, Interval } from '../core/coverage.js';
import { NotFoundError, QueryError, ValidationError } from '../core/errors.js';

export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
  /** Longest SQL text (bytes). */
  maxSqlBytes: number;
  /** Most bytes of answer. */
  maxBytes: number;
}

export interface AnalyticsDeps {
  store: PostStore;
  engine: QueryEngine;
  /** The events as they are now (the event manager itself, or the state read from the bus in a role apart). */
  events: { list(): Promise<VigilEvent[]> };
  analytics: ReadyAnalyses;
  notebooks: DuckDbNotebookRepository;
  /** Shares the engine between people (each their own share) and Vigil's pages (slots of their own). */
  gate: QueryGate;
  exportEvent: (event: string, format: ExportFormat, includeDeleted: boolean) => Promise<ExportFile>;
  /** The event's dataset manifest as it is now (what every export is described by). */
  manifest: (event: string) => Promise<DatasetManifest>;
  /** The coverage report of an event over its window, or the part of it asked for. */
  coverage: (event: string, window: Partial<Interval>) => Promise<CoverageReport>;
  limits: QueryLimits;
}

type NameParams = { Params: { name: string } };

/** Sends a file download; the name is made safe for the header (letters, digits, . _ - kept). */
function download(reply: FastifyReply, name: string, type: string, body: string | Readable): FastifyReply {
  const file = name.replace(/[^\p{L}\p{N}._-]+/gu, '_');
  return reply.header('content-type', type).header('content-disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(file)}`).send(body);
}

function queryBody(body: unknown, limits: QueryLimits): { sql: string; maxRows: number; queryId: string | null } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors: { field: string; message: string }[] = [];
  if (typeof b.sql === 'string' && Buffer.byteLength(b.sql) > limits.maxSqlBytes)
    throw new QueryError(`the SQL is ${Buffer.byteLength(b.sql).toLocaleString('en-US')} bytes; at most ${limits.maxSqlBytes.toLocaleString('en-US')} are taken (--query-max-sql-bytes)`, 'VIGIL_TOO_LARGE');
  if (typeof b.sql !== 'string' || b.sql.trim() === '') errors.push({ field: 'sql', message: 'is required: one SELECT statement as a string' });
  const maxRows = b.maxRows ?? limits.maxRows;
  if (typeof maxRows !== 'number' || !Number.isInteger(maxRows) || maxRows < 1 || maxRows > limits.maxRows)
    errors.push({ field: 'maxRows', message: `must be an integer from 1 to ${limits.maxRows}` });
  if (b.queryId !== undefined && (typeof b.queryId !== 'string' || b.queryId.length > 100)) errors.push({ field: 'queryId', message: 'must be a string of at most 100 characters' });
  if (errors.length > 0) throw new ValidationError(errors);
  return { sql: b.sql as string, maxRows: maxRows as number, queryId: (b.queryId as string | undefined) ?? null };
}

const TABLE_DOCS = [
  { name: 'tweet', doc: 'one row per (event, post): the thesis table twitter_analytics.tweet plus platform, collected_at and raw', columns: TWEET_COLUMNS.map((c) => ({ name: c.name, type: c.type, doc: c.doc })) },
  { name: 'reject', doc: 'input lines that were not posts, with the reason', columns: [
    { name: 'id', type: 'text', doc: 'SHA-1 of the line (a line is kept once)' },
    { name: 'source', type: 'text', doc: 'where the line was read (topic/partition@offset)' },
    { name: 'rejected_at', type: 'timestamp', doc: 'when it was rejected' },
    { name: 'reason', type: 'text', doc: 'why' },
    { name: 'line', type: 'text', doc: 'the line, unchanged' },
  ] },
  { name: 'vigil_event', doc: 'the events', columns: [
    { name: 'name', type: 'text', doc: 'event name' },
    { name: 'keywords', type: 'list<text>', doc: 'keyword phrases' },
    { name: 'active', type: 'boolean', doc: 'collecting or paused' },
    { name: 'created_at', type: 'timestamp', doc: '' },
    { name: 'updated_at', type: 'timestamp', doc: '' },
  ] },
];

export function registerAnalyticsRoutes(app: FastifyInstance, d: AnalyticsDeps): void {
  /** Running queries by the id their client gave: who started it (only they, or an admin, may cancel it). */
  const running = new Map<string, { owner: string; controller: AbortController }>();

  const knownOrHasRows = async (name: string): Promise<void> => {
    if ((await d.events.list()).some((e) => e.name === name)) return;
    if ((await d.store.eventStats(name)).count > 0) return;
    throw new NotFoundError(`no event named "${name}" and no rows stored for it`);
  };

  app.get<NameParams>('/api/events/:name/stats', { config: { access: 'read' } }, async (req) => {
    const stats = await d.store.eventStats(req.params.name);
    if (stats.count === 0) await knownOrHasRows(req.params.name);
    return stats;
  });

  app.get('/api/overview', { config: { access: 'read' } }, async () => d.analytics.overview());

  app.get<NameParams & { Querystring: { bucket?: string } }>('/api/events/:name/summary', { config: { access: 'read' } }, async (req) => {
    const bucket = req.query.bucket ?? 'hour';
    if (!BUCKETS.includes(bucket as Bucket)) throw new ValidationError([{ field: 'bucket', message: `must be one of ${BUCKETS.join(', ')}` }]);
    await knownOrHasRows(req.params.name);
    return d.analytics.summary(req.params.name, bucket as Bucket);
  });

  app.get<NameParams>('/api/events/:name/keywords', { config: { access: 'read' } }, async (req) => {
    const event = (await d.events.list()).find((e) => e.name === req.params.name);
    if (!event) throw new NotFoundError(`no event named "${req.params.name}"`);
    return d.analytics.keywords(event.name, event.keywords);
  });

  app.get<NameParams & { Querystring: { limit?: string } }>('/api/events/:name/tail', { config: { access: 'read' } }, async (req) => {
    const limit = Number(req.query.limit ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ValidationError([{ field: 'limit', message: 'must be an integer from 1 to 500' }]);
    await knownOrHasRows(req.params.name);
    return d.analytics.tail(req.params.name, limit);
  });

  app.get<NameParams & { Querystring: { format?: string; deleted?: string } }>('/api/events/:name/export', { config: { access: 'export' } }, async (req, reply) => {
    const format = req.query.format ?? 'csv';
    const deleted = req.query.deleted ?? 'exclude';
    const errors: { field: string; message: string }[] = [];
    if (!EXPORT_FORMATS.includes(format as ExportFormat)) errors.push({ field: 'format', message: `must be one of ${EXPORT_FORMATS.join(', ')}` });
    if (deleted !== 'exclude' && deleted !== 'include') errors.push({ field: 'deleted', message: 'must be exclude (default: posts deleted on their platform are left out) or include' });
    if (errors.length > 0) throw new ValidationError(errors);
    await knownOrHasRows(req.params.name);
    const type = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson', ids: 'text/plain; charset=utf-8', parquet: 'application/vnd.apache.parquet', bundle: 'application/gzip' }[format as ExportFormat];
    const file = format === 'ids' ? `${req.params.name}-ids.txt` : format === 'bundle' ? `${req.params.name}-dataset.tar.gz` : `${req.params.name}.${format}`;
    const out = await d.exportEvent(req.params.name, format as ExportFormat, deleted === 'include');
    // Every export points at its manifest and carries its checksum (RFC 9530), so a download can be cited and checked.
    reply
      .header('link', `</api/events/${encodeURIComponent(req.params.name)}/manifest>; rel="describedby"; type="application/json"`)
      .header('repr-digest', `sha-256=:${Buffer.from(out.sha256, 'hex').toString('base64')}:`)
      .header('content-length', out.bytes);
    return download(reply, file, type, out.stream);
  });

  app.get<NameParams>('/api/events/:name/manifest', { config: { access: 'read' } }, async (req) => {
    await knownOrHasRows(req.params.name);
    return d.manifest(req.params.name);
  });

  app.get<NameParams & { Querystring: { from?: string; to?: string } }>('/api/events/:name/coverage', { config: { access: 'read' } }, async (req) => {
    const window: Partial<Interval> = {};
    const errors: { field: string; message: string }[] = [];
    for (const k of ['from', 'to'] as const) {
      const v = req.query[k];
      if (v === undefined) continue;
      if (Number.isNaN(Date.parse(v))) errors.push({ field: k, message: 'must be an ISO-8601 time, like 2012-10-29T00:00:00Z' });
      else window[k] = new Date(v).toISOString();
    }
    if (window.from && window.to && window.from >= window.to) errors.push({ field: 'to', message: 'must be after from' });
    if (errors.length > 0) throw new ValidationError(errors);
    await knownOrHasRows(req.params.name);
    return d.coverage(req.params.name, window);
  });

  app.get<NameParams & { Querystring: { type?: string; format?: string } }>('/api/events/:name/network', { config: { access: 'export' } }, async (req, reply) => {
    const type = req.query.type ?? 'retweet';
    const format = req.query.format ?? 'gexf';
    const errors: { field: string; message: string }[] = [];
    if (!NETWORK_TYPES.includes(type as NetworkType)) errors.push({ field: 'type', message: `must be one of ${NETWORK_TYPES.join(', ')}` });
    if (format !== 'gexf' && format !== 'csv') errors.push({ field: 'format', message: 'must be gexf (Gephi) or csv (edge list)' });
    if (errors.length > 0) throw new ValidationError(errors);
    await knownOrHasRows(req.params.name);
    const net = buildNetwork(await d.store.eventRows(req.params.name, NETWORK_MAX_ROWS), type as NetworkType);
    const body = format === 'gexf' ? toGexf(net, `${type} network of the event ${req.params.name}`, new Date().toISOString()) : toEdgeCsv(net);
    return download(reply, `${req.params.name}-${type}.${format}`, format === 'gexf' ? 'application/gexf+xml; charset=utf-8' : 'text/csv; charset=utf-8', body);
  });

  app.post('/api/query', { config: { access: 'query' } }, async (req, reply) => {
    const startedAt = req.receivedAt;
    const q = queryBody(req.body, d.limits);
    const me = req.identity ?? LOCAL;
    const controller = new AbortController();
    const key = q.queryId ? `${me.user}\u0000${q.queryId}` : null;
    if (key) running.set(key, { owner: me.user, controller });
    // The client went away before the answer: stop the query.
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    try {
      return await d.gate.forPerson(me.user, d.engine, q.sql, { maxRows: q.maxRows, timeoutMs: d.limits.timeoutMs, startedAt, signal: controller.signal, maxBytes: d.limits.maxBytes });
    } finally {
      if (key) running.delete(key);
    }
  });

  app.post<{ Params: { id: string } }>('/api/query/:id/cancel', { config: { access: 'query' } }, async (req, reply) => {
    const me = req.identity ?? LOCAL;
    // Your own query by its id; an admin may cancel anyone's.
    const found = running.get(`${me.user}\u0000${req.params.id}`) ?? (me.role === 'admin' ? [...running.entries()].find(([k]) => k.endsWith(`\u0000${req.params.id}`))?.[1] : undefined);
    if (!found) throw new NotFoundError(`no running query of yours with id "${req.params.id}" (it may have finished)`);
    found.controller.abort();
    return reply.status(202).send({ cancelled: req.params.id });
  });

  app.get('/api/schema', { config: { access: 'read' } }, async () => ({
    engine: d.engine.dialect,
    dialect: DIALECTS[d.engine.dialect].describe,
    tables: TABLE_DOCS,
  }));

  app.get('/api/notebooks', { config: { access: 'read' } }, async () => d.notebooks.list());
  app.get<NameParams>('/api/notebooks/:name', { config: { access: 'read' } }, async (req) => d.notebooks.get(req.params.name));
  app.put<NameParams>('/api/notebooks/:name', { config: { access: 'query' } }, async (req) => d.notebooks.save(validateNotebookName(req.params.name), validateNotebookCells(req.body), req.identity ?? LOCAL));
  app.delete<NameParams>('/api/notebooks/:name', { config: { access: 'query' } }, async (req, reply) => {
    await d.notebooks.delete(req.params.name, req.identity ?? LOCAL);
    return reply.status(204).send();
  });
}

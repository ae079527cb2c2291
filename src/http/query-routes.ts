// People's SQL over the analysis tables (shared out by the query gate, cancellable by its owner), the tables' schema,
// and notebooks (owned: their owner or an admin changes them).

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DuckDbNotebookRepository } from '../adapters/duckdb/notebook-repository.js';
import { resultFile } from '../adapters/duckdb/result-file.js';
import { DIALECTS } from '../core/analyses.js';
import { type FieldError, NotFoundError, QueryError, ValidationError } from '../core/errors.js';
import { validateNotebookCells, validateNotebookName } from '../core/notebook.js';
import type { QueryEngine, QueryResult } from '../core/ports.js';
import { TWEET_COLUMNS } from '../core/row.js';
import type { QueryGate } from '../roles/analytics/query-gate.js';
import { LOCAL } from './access.js';
import { IdParams, NameParams, NotebookBody, NotebookSchema, QueryBody, QueryDownloadBody, QueryResultSchema, SchemaSchema } from './api-schemas.js';
import { download } from './export-routes.js';
import { type App, routesOf } from './routes.js';

export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
  /** Longest SQL text (bytes). */
  maxSqlBytes: number;
  /** Most bytes of answer. */
  maxBytes: number;
}

export interface QueryDeps {
  engine: QueryEngine;
  /** Shares the engine between people (each their own share) and Vigil's pages (slots of their own). */
  gate: QueryGate;
  notebooks: DuckDbNotebookRepository;
  limits: QueryLimits;
}

function queryBody(b: z.infer<typeof QueryBody>, limits: QueryLimits): { sql: string; maxRows: number; queryId: string | null } {
  const errors: FieldError[] = [];
  if (typeof b.sql === 'string' && Buffer.byteLength(b.sql) > limits.maxSqlBytes)
    throw new QueryError(
      `the SQL is ${Buffer.byteLength(b.sql).toLocaleString('en-US')} bytes; at most ${limits.maxSqlBytes.toLocaleString('en-US')} are taken (--query-max-sql-bytes)`,
      'VIGIL_TOO_LARGE',
    );
  if (typeof b.sql !== 'string' || b.sql.trim() === '') errors.push({ field: 'sql', message: 'is required: one SELECT statement as a string' });
  const maxRows = b.maxRows ?? limits.maxRows;
  if (typeof maxRows !== 'number' || !Number.isInteger(maxRows) || maxRows < 1 || maxRows > limits.maxRows)
    errors.push({ field: 'maxRows', message: `must be an integer from 1 to ${limits.maxRows}` });
  if (b.queryId !== undefined && (typeof b.queryId !== 'string' || b.queryId.length > 100))
    errors.push({ field: 'queryId', message: 'must be a string of at most 100 characters' });
  if (errors.length > 0) throw new ValidationError(errors);
  return { sql: b.sql as string, maxRows: maxRows as number, queryId: (b.queryId as string | undefined) ?? null };
}

/** The columns of the rising terms' kinds counted per period of the posts' time (`period`: "the hour" …). */
const periodCountColumns = (period: string, inIt: string) => [
  { name: 'event_name', type: 'text', doc: 'the event' },
  { name: 'kind', type: 'text', doc: 'hashtag or word (as in term_count)' },
  { name: 'bucket', type: 'timestamp', doc: `the start of ${period} the posts were made in (UTC)` },
  { name: 'term', type: 'text', doc: 'the term, as in term_count' },
  { name: 'n', type: 'int', doc: `occurrences in rows of the event made in ${inIt} (a part of the count: sum them)` },
];

const TABLE_DOCS = [
  {
    name: 'tweet',
    doc: 'one row per (event, post): Project EPIC’s twitter_analytics.tweet table plus platform, collected_at and raw',
    columns: TWEET_COLUMNS.map((c) => ({ name: c.name, type: c.type, doc: c.doc })),
  },
  {
    name: 'reject',
    doc: 'input lines that were not posts, with the reason',
    columns: [
      { name: 'id', type: 'text', doc: 'SHA-1 of the line (a line is kept once)' },
      { name: 'source', type: 'text', doc: 'where the line was read' },
      { name: 'rejected_at', type: 'timestamp', doc: 'when it was rejected' },
      { name: 'reason', type: 'text', doc: 'why' },
      { name: 'line', type: 'text', doc: 'the line, unchanged' },
    ],
  },
  {
    name: 'deletion',
    doc: 'posts their platform says were deleted (left out of exports; still in tweet)',
    columns: [
      { name: 'platform', type: 'text', doc: 'twitter, x, bluesky or mastodon' },
      { name: 't_id', type: 'text', doc: 'the deleted post id (Mastodon: the instance-local id of the delete notice)' },
      { name: 'deleted_at', type: 'timestamp', doc: 'when the deletion notice was received (UTC)' },
    ],
  },
  {
    name: 'term_count',
    doc: "terms of each event's rows, counted as they are stored: what the event page's top lists sum (partial counts: sum n per event, kind and term)",
    columns: [
      { name: 'event_name', type: 'text', doc: 'the event' },
      {
        name: 'kind',
        type: 'text',
        doc: "hashtag, word, mention, url, domain, user, minute (posts per minute they were made: the volume), thesis-word (the thesis word count's: the text split at spaces), or keyword-hour (each keyword a post matched, per hour the post was made: the hour as text, a tab, the keyword; the keyword feedback's posts per hour)",
      },
      {
        name: 'term',
        type: 'text',
        doc: 'the term: hashtags (without #), mentions, words, thesis words and domains lower-cased; links and accounts as written; words as the event page ranks them (no stop words)',
      },
      { name: 'n', type: 'int', doc: 'occurrences in rows of the event (a part of the count: sum them)' },
    ],
  },
  {
    name: 'hashtag_count',
    doc: "hashtags of each event's rows, counted as they are stored (term_count's hashtags; partial counts: sum n per event and hashtag)",
    columns: [
      { name: 'event_name', type: 'text', doc: 'the event' },
      { name: 'hashtag', type: 'text', doc: 'the hashtag, lower-cased, without #' },
      { name: 'n', type: 'int', doc: 'rows of the event holding it (a part of the count: sum them)' },
    ],
  },
  {
    name: 'term_bucket_count',
    doc: "hashtags and words of each event's rows per 5-minute period of the posts' time, for the last seven hours before the event's newest post (older periods are dropped as it moves on), counted as they are stored: what the keyword feedback's rising terms sum (partial counts: sum n per event, kind, period and term)",
    columns: periodCountColumns('the 5 minutes', 'those 5 minutes'),
  },
  {
    name: 'term_hour_count',
    doc: "the same counts as term_bucket_count per hour of the posts' time (each hour's counts the sum of its periods'; an hour is dropped with its periods once all of it is older than the last seven hours): the whole hours the keyword feedback's rising terms read (partial counts: sum n per event, kind, hour and term)",
    columns: periodCountColumns('the hour', 'that hour'),
  },
  {
    name: 'coverage',
    doc: 'what the tracker recorded about its live connections: the gaps and losses a methods section reports',
    columns: [
      { name: 'id', type: 'text', doc: 'record id' },
      { name: 'source', type: 'text', doc: 'the live source' },
      { name: 'connection', type: 'text', doc: 'the connection the record is about' },
      { name: 'kind', type: 'text', doc: 'connected, disconnected, reconnect, gap, limit or alive' },
      { name: 'happened_at', type: 'timestamp', doc: 'when (UTC)' },
      { name: 'ended_at', type: 'timestamp', doc: 'end of a gap (UTC)' },
      { name: 'count', type: 'int', doc: 'reconnects, or posts withheld (limit)' },
      { name: 'detail', type: 'text', doc: 'reason or notice' },
    ],
  },
  {
    name: 'vigil_event',
    doc: 'the events',
    columns: [
      { name: 'name', type: 'text', doc: 'event name' },
      { name: 'keywords', type: 'list<text>', doc: 'keyword phrases' },
      { name: 'active', type: 'boolean', doc: 'collecting or paused' },
      { name: 'created_at', type: 'timestamp', doc: '' },
      { name: 'updated_at', type: 'timestamp', doc: '' },
    ],
  },
];

type Running = Map<string, { owner: string; controller: AbortController }>;
type RunQuery = (req: FastifyRequest, reply: FastifyReply, q: ReturnType<typeof queryBody>) => Promise<QueryResult>;

/**
 * Runs a person's query within their share of the engine and the limits; it stops when they cancel it (by the
 * queryId they gave) or when their client goes away before the answer.
 */
function personQuery(d: QueryDeps, running: Running): RunQuery {
  return async (req, reply, q) => {
    const me = req.identity ?? LOCAL;
    const controller = new AbortController();
    const key = q.queryId ? `${me.user}\u0000${q.queryId}` : null;
    if (key) running.set(key, { owner: me.user, controller });
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    try {
      return await d.gate.forPerson(me.user, d.engine, q.sql, {
        maxRows: q.maxRows,
        timeoutMs: d.limits.timeoutMs,
        startedAt: req.receivedAt,
        signal: controller.signal,
        maxBytes: d.limits.maxBytes,
      });
    } finally {
      if (key) running.delete(key);
    }
  };
}

export function registerQueryRoutes(app: App, d: QueryDeps): void {
  const r = routesOf(app, 'analytics');
  /** Running queries by their owner and the id their client gave (only they, or an admin, may cancel one). */
  const running: Running = new Map();
  const run = personQuery(d, running);

  r.post(
    '/api/query',
    { access: 'query', summary: 'one read-only query over the analysis tables', body: QueryBody, response: QueryResultSchema },
    async (req, reply) => run(req, reply, queryBody(req.body, d.limits)),
  );
  registerDownloadRoute(r, d, run);
  r.post(
    '/api/query/:id/cancel',
    {
      access: 'query',
      summary: 'cancel your running query started with {"queryId": id} (admins: anyone’s)',
      params: IdParams,
      status: 202,
      response: z.object({ cancelled: z.string() }),
    },
    async (req, reply) => {
      const me = req.identity ?? LOCAL;
      const found =
        running.get(`${me.user}\u0000${req.params.id}`) ??
        (me.role === 'admin' ? [...running.entries()].find(([k]) => k.endsWith(`\u0000${req.params.id}`))?.[1] : undefined);
      if (!found) throw new NotFoundError(`no running query of yours with id "${req.params.id}" (it may have finished)`);
      found.controller.abort();
      return reply.status(202).send({ cancelled: req.params.id });
    },
  );
  registerSchemaAndNotebookRoutes(r, d);
}

/** A query's result as a file: run again on the server with the person's share of the engine. */
function registerDownloadRoute(r: ReturnType<typeof routesOf>, d: QueryDeps, run: RunQuery): void {
  r.post(
    '/api/query/download',
    {
      access: 'query',
      summary: "one read-only query's result as a file: CSV (lists as JSON arrays) or Parquet, with the same limits as /api/query",
      body: QueryDownloadBody,
      produces: ['text/csv', 'application/vnd.apache.parquet'],
    },
    async (req, reply) => {
      const result = await run(req, reply, queryBody(req.body, d.limits));
      const format = req.body.format;
      const out = await resultFile(result, format);
      reply.header('content-length', out.bytes).header('x-vigil-rows', result.rowCount);
      // A cut result says so: the file holds the first rows only.
      if (result.truncatedBy) reply.header('x-vigil-truncated', result.truncatedBy);
      return download(reply, `vigil-result.${format}`, format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet', out.stream);
    },
  );
}

function registerSchemaAndNotebookRoutes(r: ReturnType<typeof routesOf>, d: QueryDeps): void {
  r.get(
    '/api/schema',
    { access: 'read', summary: 'the tables and columns for queries, and the engine that answers them', response: SchemaSchema },
    async () => {
      const q = DIALECTS[d.engine.dialect];
      // Only the tables this engine has (Spark over Cassandra has neither the events' table nor the hashtag counts).
      return { engine: q.dialect, dialect: q.describe, tables: TABLE_DOCS.filter((t) => q.tables.includes(t.name)) };
    },
  );
  r.get('/api/notebooks', { access: 'read', summary: 'saved notebooks', response: z.array(NotebookSchema) }, async () => d.notebooks.list());
  r.get('/api/notebooks/:name', { access: 'read', summary: 'one notebook', params: NameParams, response: NotebookSchema }, async (req) =>
    d.notebooks.get(req.params.name),
  );
  r.put(
    '/api/notebooks/:name',
    { access: 'query', summary: 'save a notebook (yours, or as an admin anyone’s)', params: NameParams, body: NotebookBody, response: NotebookSchema },
    async (req) => d.notebooks.save(validateNotebookName(req.params.name), validateNotebookCells(req.body), req.identity ?? LOCAL),
  );
  r.delete(
    '/api/notebooks/:name',
    { access: 'query', summary: 'delete a notebook (yours, or as an admin anyone’s)', params: NameParams, status: 204 },
    async (req, reply) => {
      await d.notebooks.delete(req.params.name, req.identity ?? LOCAL);
      return reply.status(204).send();
    },
  );
}

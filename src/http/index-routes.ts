// GET /api lists the endpoints.

import type { FastifyInstance } from 'fastify';

export const API_INDEX = [
  { method: 'GET', path: '/api/events', doc: 'list events' },
  { method: 'POST', path: '/api/events', doc: 'create an event: {"name", "keywords": [...], "active"?}' },
  { method: 'GET', path: '/api/events/:name', doc: 'one event' },
  { method: 'PUT', path: '/api/events/:name', doc: 'replace an event (may rename it)' },
  { method: 'PATCH', path: '/api/events/:name', doc: 'change some fields, e.g. {"active": false}' },
  { method: 'DELETE', path: '/api/events/:name', doc: 'delete an event (its stored rows stay)' },
  { method: 'GET', path: '/api/events/:name/stats', doc: 'rows stored for the event: {"count", "first", "last"}' },
  { method: 'POST', path: '/api/query', doc: 'read-only SQL over the rows: {"sql": "SELECT ...", "maxRows"?}' },
  { method: 'POST', path: '/api/replay', doc: 'stream an archived JSONL file as if live: {"file", "rate"?}' },
  { method: 'GET', path: '/api/status', doc: 'source, classifier counts, lag, rejects, tracked keywords' },
  { method: 'GET', path: '/api/overview', doc: 'live figures of every event: count, last post, rows per minute over the last hour' },
  { method: 'GET', path: '/api/events/:name/summary?bucket=hour', doc: 'volume over time, top hashtags/words/users/mentions/links/domains, languages, retweets' },
  { method: 'GET', path: '/api/events/:name/tail?limit=20', doc: 'the newest posts of an event' },
  { method: 'GET', path: '/api/events/:name/export?format=csv|jsonl|parquet', doc: "download an event's rows" },
  { method: 'GET', path: '/api/events/:name/network?type=retweet|mention|reply|cohashtag&format=gexf|csv', doc: "an event's retweet, mention, reply or co-hashtag network for Gephi (GEXF) or as an edge list" },
  { method: 'POST', path: '/api/events/:name/reclassify', doc: 'apply the event as defined now to the raw posts collected since {"since": time}; rows marked backfilled (GET: progress, DELETE: cancel)' },
  { method: 'GET', path: '/api/events/:name/manifest', doc: "the event's dataset manifest (definition and history, platforms, window, coverage, version, how to cite); every export links to it" },
  { method: 'GET', path: '/api/events/:name/coverage?from=&to=', doc: "what collection missed in the event's window: uptime, gaps, reconnects, posts withheld (limit notices), rejects, per source" },
  { method: 'GET', path: '/api/events/:name/keywords', doc: 'keyword feedback: posts, share and posts per hour of each keyword; rising terms that are not keywords yet' },
  { method: 'POST', path: '/api/query/:id/cancel', doc: 'cancel a running query started with {"queryId": id}' },
  { method: 'GET', path: '/api/schema', doc: 'tables and columns for queries' },
  { method: 'GET', path: '/api/notebooks', doc: 'saved notebooks' },
  { method: 'PUT', path: '/api/notebooks/:name', doc: 'save a notebook: {"cells": [{"sql", "view", "x"?, "y"?}]}' },
  { method: 'DELETE', path: '/api/notebooks/:name', doc: 'delete a notebook' },
] as const;

export function registerIndexRoutes(app: FastifyInstance): void {
  app.get('/api', { config: { access: 'read' } }, async () => ({ endpoints: API_INDEX, tables: ['tweet', 'reject', 'vigil_event'] }));
}

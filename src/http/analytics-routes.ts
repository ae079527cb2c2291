// Observing what was collected, per event: stats, the ready analyses of the event page (summary, keyword feedback,
// the newest posts), the coverage report and the dataset manifest. Exports are in export-routes.ts, SQL and
// notebooks in query-routes.ts.

import { z } from 'zod';
import { BUCKETS } from '../core/analyses.js';
import type { CoverageReport, Interval } from '../core/coverage.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { DatasetManifest } from '../core/manifest.js';
import type { EventCatalog, PostStore } from '../core/ports.js';
import type { ReadyAnalyses } from '../roles/analytics/ready-analyses.js';
import {
  CoverageReportSchema,
  EventStatsSchema,
  EventSummarySchema,
  GeoSchema,
  KeywordFeedbackSchema,
  ManifestSchema,
  NameParams,
  OverviewSchema,
  TweetRowSchema,
} from './api-schemas.js';
import { type App, routesOf } from './routes.js';

export interface AnalyticsDeps {
  store: PostStore;
  /** The events as they are now (the event manager itself, or the state read from the bus in a role apart). */
  events: EventCatalog;
  analytics: ReadyAnalyses;
  /** The event's dataset manifest as it is now (what every export is described by). */
  manifest: (event: string) => Promise<DatasetManifest>;
  /** The coverage report of an event over its window, or the part of it asked for. */
  coverage: (event: string, window: Partial<Interval>) => Promise<CoverageReport>;
}

/** An event that is defined, or whose rows are stored (a deleted event's rows stay until purged). */
export async function knownOrHasRows(d: Pick<AnalyticsDeps, 'events' | 'store'>, name: string): Promise<void> {
  if ((await d.events.list()).some((e) => e.name === name)) return;
  if ((await d.store.eventStats(name)).count > 0) return;
  throw new NotFoundError(`no event named "${name}" and no rows stored for it`);
}

const WindowQuery = z.strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() });

export function registerAnalyticsRoutes(app: App, d: AnalyticsDeps): void {
  registerFigureRoutes(app, d);
  registerDatasetRoutes(app, d);
}

/** The figures of the event pages: counts, summaries, keyword feedback, the newest posts. */
function registerFigureRoutes(app: App, d: AnalyticsDeps): void {
  const r = routesOf(app, 'analytics');
  r.get(
    '/api/events/:name/stats',
    { access: 'read', summary: "the event's stored rows: count, first and last post time", params: NameParams, response: EventStatsSchema },
    async (req) => {
      const stats = await d.store.eventStats(req.params.name);
      if (stats.count === 0) await knownOrHasRows(d, req.params.name);
      return stats;
    },
  );
  r.get(
    '/api/overview',
    { access: 'read', summary: 'live figures of every event: count, last post, rows per minute over the last hour', response: OverviewSchema },
    async () => d.analytics.overview(),
  );
  r.get(
    '/api/events/:name/summary',
    {
      access: 'read',
      summary: 'volume over time, top hashtags, words, users, mentions, links, domains, languages, retweets',
      params: NameParams,
      query: z.strictObject({ bucket: z.enum(BUCKETS).default('hour') }),
      response: EventSummarySchema,
    },
    async (req) => {
      await knownOrHasRows(d, req.params.name);
      return d.analytics.summary(req.params.name, req.query.bucket);
    },
  );
  r.get(
    '/api/events/:name/keywords',
    {
      access: 'read',
      summary: "each keyword's posts, share and posts per hour; rising terms that are not keywords yet",
      params: NameParams,
      response: KeywordFeedbackSchema,
    },
    async (req) => {
      const event = (await d.events.list()).find((e) => e.name === req.params.name);
      if (!event) throw new NotFoundError(`no event named "${req.params.name}"`);
      return d.analytics.keywords(event.name, event.keywords);
    },
  );
  r.get(
    '/api/events/:name/geo',
    {
      access: 'read',
      summary: "the event's geotagged posts for its map: own coordinates, or the centre of the post's place",
      params: NameParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(20_000).default(5000) }),
      response: GeoSchema,
    },
    async (req) => {
      await knownOrHasRows(d, req.params.name);
      return d.analytics.geo(req.params.name, req.query.limit);
    },
  );
  r.get(
    '/api/events/:name/tail',
    {
      access: 'read',
      summary: 'the newest posts of the event',
      params: NameParams,
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(20) }),
      response: z.array(TweetRowSchema),
    },
    async (req) => {
      await knownOrHasRows(d, req.params.name);
      // The newest posts query selects the tweet table's columns (TweetRowSchema checks them on the way out).
      return (await d.analytics.tail(req.params.name, req.query.limit)) as z.infer<typeof TweetRowSchema>[];
    },
  );
}

/** What describes an event's dataset: its manifest and its coverage. */
function registerDatasetRoutes(app: App, d: AnalyticsDeps): void {
  const r = routesOf(app, 'analytics');
  r.get(
    '/api/events/:name/manifest',
    {
      access: 'read',
      summary: "the event's dataset manifest: definition and history, platforms, window, coverage, version, how to cite",
      params: NameParams,
      response: ManifestSchema,
    },
    async (req) => {
      await knownOrHasRows(d, req.params.name);
      return d.manifest(req.params.name);
    },
  );
  r.get(
    '/api/events/:name/coverage',
    {
      access: 'read',
      summary: "what collection missed in the event's window, per source",
      params: NameParams,
      query: WindowQuery,
      response: CoverageReportSchema,
    },
    async (req) => {
      const window: Partial<Interval> = {};
      if (req.query.from) window.from = new Date(req.query.from).toISOString();
      if (req.query.to) window.to = new Date(req.query.to).toISOString();
      if (window.from && window.to && window.from >= window.to) throw new ValidationError([{ field: 'to', message: 'must be after from' }]);
      await knownOrHasRows(d, req.params.name);
      return d.coverage(req.params.name, window);
    },
  );
}

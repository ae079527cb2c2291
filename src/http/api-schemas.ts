// The shapes of the HTTP API, declared once with zod: routes validate requests and answers with them, the OpenAPI
// document (/api/openapi.json) is made from them, and the web UI imports their types. Request bodies and query
// strings refuse unknown fields; the values' finer rules (an event's limits, a notebook's cells) are the core's.

import { z } from 'zod';

const iso = z.string().describe('ISO-8601 time, UTC');
const isoOrNull = iso.nullable();
const box = z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[west, south, east, north] in degrees');

export const NameParams = z.object({ name: z.string().describe('the name, URL-encoded') });
export const IdParams = z.object({ id: z.string() });

export const ErrorBody = z.object({
  error: z.string(),
  code: z.string().optional().describe('the error code (core/errors.ts), or Fastify’s for a request it refused first'),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

// Events

export const EventTargetsShape = {
  accounts: z.array(z.string()).optional().describe('account ids or handles (@ dropped, case folded)'),
  boxes: z.array(box).optional(),
  languages: z.array(z.string()).optional().describe('language codes: a filter on what the event matched'),
};

export const VigilEventSchema = z.object({
  id: z.string().describe("the event's identity: kept when it is renamed (rows carry it as event_id)"),
  name: z.string(),
  keywords: z.array(z.string()),
  active: z.boolean(),
  ...EventTargetsShape,
  createdAt: iso,
  updatedAt: iso,
});

/** An event as written, with what looks like a mistake in it (a phrase holding a comma). */
export const WrittenEventSchema = VigilEventSchema.extend({ warnings: z.array(z.string()).optional() });

/** Create or replace: the values are checked by the core (names, limits), the fields here. */
export const EventBody = z.strictObject({
  name: z.unknown().optional(),
  keywords: z.unknown().optional(),
  active: z.unknown().optional(),
  accounts: z.unknown().optional(),
  boxes: z.unknown().optional(),
  languages: z.unknown().optional(),
});

/** A name rows are stored under. */
export const StoredEventSchema = z.object({
  name: z.string(),
  count: z.number(),
  defined: z.boolean().describe('false for the rows of a deleted event: kept until purged'),
});
export const PurgedSchema = z.object({ name: z.string(), purged: z.number().describe('rows deleted') });

export const EventStatsSchema = z.object({ count: z.number(), first: isoOrNull, last: isoOrNull });

// Analyses

export const BucketSchema = z.enum(['minute', 'hour', 'day']);
const counted = <K extends string>(key: K) => z.array(z.object({ [key]: z.string(), n: z.number() } as Record<K, z.ZodString> & { n: z.ZodNumber }));
/** Counts by a value a post may lack (an author without a handle, a post without a language): null counted too. */
const countedOrNull = <K extends string>(key: K) =>
  z.array(z.object({ [key]: z.string().nullable(), n: z.number() } as Record<K, z.ZodNullable<z.ZodString>> & { n: z.ZodNumber }));

export const EventSummarySchema = z.object({
  event: z.string(),
  bucket: BucketSchema,
  volume: counted('bucket'),
  volumeNote: z.string().nullable().describe("why the volume's silent buckets are not shown (an axis too long to fill: choose a longer bucket), or null"),
  hashtags: counted('hashtag'),
  words: counted('word'),
  users: countedOrNull('user'),
  mentions: counted('user'),
  urls: counted('url'),
  domains: counted('domain'),
  languages: countedOrNull('lang'),
  posts: z.number(),
  retweets: z.number(),
  /** Distinct authors of the event's posts (the users list is the top 20 only). */
  distinctUsers: z.number(),
});

export const EventLiveSchema = z.object({ count: z.number(), lastPost: isoOrNull, lastCollected: isoOrNull, perMinute: z.array(z.number()) });
export const OverviewSchema = z.record(z.string(), EventLiveSchema);

export const KeywordFeedbackSchema = z.object({
  event: z.string(),
  posts: z.number(),
  keywords: z.array(z.object({ keyword: z.string(), posts: z.number(), share: z.number(), perHour: z.array(z.object({ hour: z.string(), n: z.number() })) })),
  suggestions: z.array(z.object({ kind: z.enum(['hashtag', 'word']), term: z.string(), recent: z.number(), before: z.number(), score: z.number() })),
});

/** A newest post, as the event page shows it. */
export const TweetRowSchema = z.object({
  t_id: z.string(),
  t_created_at: isoOrNull,
  u_screen_name: z.string().nullable(),
  u_name: z.string().nullable(),
  t_text: z.string(),
  t_is_a_retweet: z.boolean(),
  t_lang: z.string().nullable(),
  platform: z.string(),
  match_targets: z.array(z.string()).nullable(),
  match_fields: z.array(z.string()).nullable(),
  backfilled: z.boolean().nullable(),
});

const IntervalSchema = z.object({ from: iso, to: iso });
export const CoverageReportSchema = z.object({
  window: IntervalSchema,
  gapThresholdMs: z.number(),
  sources: z.array(
    z.object({
      source: z.string(),
      uptimeMs: z.number(),
      uptimeShare: z.number(),
      up: z.array(IntervalSchema),
      reconnects: z.number(),
      gaps: z.array(IntervalSchema.extend({ ms: z.number() })),
      withheld: z.number(),
      limits: z.array(z.object({ at: iso, count: z.number() })),
      disconnects: z.array(z.object({ at: iso, detail: z.string().nullable() })),
    }),
  ),
  rejects: z.number().describe('lines rejected in the window, from any source'),
  eventRejects: z.number().nullable().describe("of those, the lines whose text holds one of the event's keywords (null when its keywords are not known)"),
  rejectsByHour: z.array(z.object({ hour: z.string(), count: z.number() })),
  posts: z
    .object({ count: z.number(), first: iso.nullable(), last: iso.nullable() })
    .nullable()
    .describe("the event's stored posts and the span of their own times (post time)"),
  summary: z.string(),
});

const HistoryEntrySchema = z.object({
  at: iso,
  action: z.enum(['created', 'updated', 'renamed', 'deleted']),
  name: z.string(),
  previousName: z.string().nullable(),
  keywords: z.array(z.string()).nullable(),
  active: z.boolean().nullable(),
  ...EventTargetsShape,
});

export const ManifestSchema = z.object({
  format: z.literal('vigil-dataset/1'),
  title: z.string(),
  generatedAt: iso,
  vigilVersion: z.string(),
  event: z
    .object({
      id: z.string().describe("the event's identity (the rows' event_id), kept through renames"),
      name: z.string(),
      keywords: z.array(z.string()),
      active: z.boolean(),
      createdAt: iso,
      ...EventTargetsShape,
    })
    .nullable(),
  keywordHistory: z.array(HistoryEntrySchema).nullable(),
  window: z.object({ first: isoOrNull, last: isoOrNull }),
  platforms: z.array(z.object({ platform: z.string(), rows: z.number() })),
  rows: z.number(),
  deletedLeftOut: z.number(),
  coverage: CoverageReportSchema.nullable(),
  files: z.array(z.object({ path: z.string(), bytes: z.number(), sha256: z.string(), rows: z.number() })),
  howToCite: z.string(),
});

export const GeoSchema = z.object({
  posts: z.array(
    z.object({
      platform: z.string(),
      t_id: z.string(),
      lon: z.number(),
      lat: z.number(),
      kind: z.enum(['point', 'place']).describe("point: the post's own coordinates; place: the centre of its place's box"),
      place: z.string().nullable(),
      text: z.string(),
      user: z.string().nullable(),
      createdAt: z.string().nullable(),
    }),
  ),
  scanned: z.number().describe('posts read that might have a position (the newest first)'),
  limit: z.number().describe('at most this many were read: scanned = limit means older posts were left out'),
  readFrom: z
    .string()
    .nullable()
    .describe('the oldest post time read when the map stopped looking back before the first post (it looks back for 10 s at most, MAP_READ_MS); else null'),
});

export const ReclassifyJobSchema = z.object({
  event: z.string(),
  since: iso,
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: iso,
  finishedAt: isoOrNull,
  scanned: z.number(),
  total: z.number(),
  rows: z.number(),
  added: z.number().nullable(),
  error: z.string().nullable(),
});

// Queries and notebooks

export const QueryBody = z.strictObject({
  sql: z.unknown().optional().describe('one read-only query (SELECT …) over the analysis tables'),
  maxRows: z.unknown().optional(),
  queryId: z.unknown().optional().describe('an id of your choice, to cancel it with POST /api/query/:id/cancel'),
});

export const QueryDownloadBody = QueryBody.extend({
  format: z.enum(['csv', 'parquet']).default('csv').describe('csv (lists as JSON arrays) or parquet'),
});

export const QueryResultSchema = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z.array(z.record(z.string(), z.unknown().optional())),
  rowCount: z.number(),
  truncated: z.boolean(),
  truncatedBy: z.enum(['rows', 'bytes']).optional(),
  elapsedMs: z.number(),
});

export const SchemaSchema = z.object({
  engine: z.enum(['duckdb', 'spark']),
  dialect: z.string(),
  tables: z.array(z.object({ name: z.string(), doc: z.string(), columns: z.array(z.object({ name: z.string(), type: z.string(), doc: z.string() })) })),
});

export const NotebookCellSchema = z.object({
  sql: z.string(),
  view: z.enum(['table', 'bar', 'line', 'pie']),
  x: z.string().optional(),
  y: z.string().optional(),
});
export const NotebookSchema = z.object({ name: z.string(), cells: z.array(NotebookCellSchema), updatedAt: iso, owner: z.string() });
export const NotebookBody = z.strictObject({ cells: z.unknown().optional() });

// Collection

export const ReplayBody = z.strictObject({
  file: z.unknown().optional().describe('a file of the import folder'),
  rate: z.unknown().optional().describe('lines per second; 0 or absent: as fast as possible'),
});
export const SourceStatusSchema = z.object({
  source: z.string(),
  state: z.enum(['starting', 'running', 'finished', 'stopped', 'failed']),
  since: iso,
  linesRead: z.number(),
  bytesRead: z.number().optional().describe('a replayed file: bytes read so far'),
  bytesTotal: z.number().optional().describe('a replayed file: its size'),
  alreadyPublished: z
    .number()
    .optional()
    .describe('a replayed file met before (same content): lines an earlier replay published, skipped now; apply events to them with re-classification'),
  detail: z.string().optional(),
});
export const ImportedFileSchema = z.object({ name: z.string(), bytes: z.number(), modifiedAt: iso });
export const UploadedSchema = ImportedFileSchema.extend({ sha256: z.string(), existed: z.boolean() });
export const ImportsSchema = z.object({ folder: z.string(), files: z.array(ImportedFileSchema) });

const counts = z.object({ lines: z.number(), posts: z.number(), rows: z.number(), rejected: z.number(), other: z.number(), limited: z.number() });
export const StatusSchema = z.looseObject({
  mode: z.string(),
  tracker: z.looseObject({ source: SourceStatusSchema.nullable(), published: z.number() }).nullable(),
  classifier: z.looseObject({
    counts: counts.optional(),
    lag: z.number().nullable(),
    activeEvents: z.number().optional(),
    workers: z.number().optional(),
    failing: z
      .object({ reason: z.string(), attempts: z.number(), since: iso, retryAt: iso })
      .nullable()
      .optional()
      .describe('batches failing to be classified or stored (the store down, out of memory), delivered again with growing waits; null when not'),
  }),
  keywords: z.object({ tracked: z.number(), limit: z.number() }).nullable(),
  rejectsStored: z.number().nullable(),
  termCounts: z
    .object({ rowsToCount: z.number().describe("rows stored and not counted yet: an event page's first load waits for them") })
    .nullable()
    .optional(),
  processes: z
    .array(
      z.looseObject({ id: z.string(), role: z.string(), state: z.string(), pid: z.number().nullable(), restarts: z.number(), detail: z.string().optional() }),
    )
    .optional(),
});

// Identity

const level = z.enum(['admin', 'analyst', 'viewer']);
export const MeSchema = z.object({ user: z.string().optional(), role: level.optional(), auth: z.boolean(), csrf: z.string().optional() });
export const LoginBody = z.strictObject({ name: z.unknown().optional(), password: z.unknown().optional() });
export const LinkBody = z.strictObject({ code: z.unknown().optional() });
export const PasswordBody = z.strictObject({ current: z.unknown().optional(), password: z.unknown().optional() });
export const SignedInSchema = z.object({ user: z.string(), role: level, csrf: z.string() });
export const TokenBody = z.strictObject({ label: z.unknown().optional(), role: z.unknown().optional() });
export const TokenSchema = z.object({ id: z.string(), user: z.string(), label: z.string(), role: level, createdAt: iso, revokedAt: isoOrNull });
export const NewTokenSchema = z.object({ id: z.string(), token: z.string().describe('shown once'), role: level, label: z.string() });
export const UserBody = z.strictObject({ name: z.unknown().optional(), password: z.unknown().optional(), role: z.unknown().optional() });
export const UserChangeBody = z.strictObject({ role: z.unknown().optional(), password: z.unknown().optional() });
export const UserSchema = z.object({ name: z.string(), role: level, createdAt: iso });
export const AuditSchema = z.object({ at: iso, user: z.string(), action: z.string(), target: z.string(), status: z.number() });
export const CredentialBody = z.strictObject({ value: z.unknown().optional() });
export const JwtSchema = z.object({ jwt: z.string(), expiresIn: z.number() });

// The types the web UI imports (one declaration with the routes').
export type StoredEvent = z.infer<typeof StoredEventSchema>;
export type VigilEvent = z.infer<typeof VigilEventSchema>;
export type EventStats = z.infer<typeof EventStatsSchema>;
export type EventSummary = z.infer<typeof EventSummarySchema>;
export type EventLive = z.infer<typeof EventLiveSchema>;
export type KeywordFeedback = z.infer<typeof KeywordFeedbackSchema>;
export type TweetRowView = z.infer<typeof TweetRowSchema>;
export type CoverageReportView = z.infer<typeof CoverageReportSchema>;
export type ReclassifyJob = z.infer<typeof ReclassifyJobSchema>;
export type GeoView = z.infer<typeof GeoSchema>;
export type QueryResult = z.infer<typeof QueryResultSchema>;
export type QuerySchema = z.infer<typeof SchemaSchema>;
export type NotebookCell = z.infer<typeof NotebookCellSchema>;
export type Notebook = z.infer<typeof NotebookSchema>;
export type Status = z.infer<typeof StatusSchema>;
export type SourceStatus = z.infer<typeof SourceStatusSchema>;
export type Me = z.infer<typeof MeSchema>;
export type Token = z.infer<typeof TokenSchema>;
export type User = z.infer<typeof UserSchema>;
export type Audit = z.infer<typeof AuditSchema>;
export type FieldError = NonNullable<z.infer<typeof ErrorBody>['errors']>[number];

// Downloads of an event's data: its rows (CSV, JSONL, Parquet, ids, or the dataset bundle) and its networks (GEXF
// for Gephi, or CSV edge lists). Every export points at the event's manifest and carries its checksum.

import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { EXPORT_FORMATS, type ExportFile, type ExportFormat, type ExportOptions } from '../adapters/duckdb/export.js';
import { NETWORK_COLUMNS, NETWORK_TYPES, NetworkBuilder, toEdgeCsv, toGexf } from '../core/networks.js';
import type { EventCatalog, PostStore } from '../core/ports.js';
import { knownOrHasRows } from './analytics-routes.js';
import { NameParams } from './api-schemas.js';
import { type App, routesOf } from './routes.js';

/**
 * Rows read to build a network: an event read a slice at a time costs memory for its nodes and edges only, but those
 * grow with the rows. A bigger event's network is of its earliest rows, and says so (its description, a header).
 */
const NETWORK_MAX_ROWS = 2_000_000;

export interface ExportDeps {
  store: PostStore;
  events: EventCatalog;
  exportEvent: (event: string, format: ExportFormat, o: ExportOptions) => Promise<ExportFile>;
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson',
  ids: 'text/plain; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  bundle: 'application/gzip',
};

/** Sends a file download; the name is made safe for the header (letters, digits, . _ - kept). */
export function download(reply: FastifyReply, name: string, type: string, body: string | Readable): FastifyReply {
  const file = name.replace(/[^\p{L}\p{N}._-]+/gu, '_');
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(file)}`)
    .send(body);
}

const ExportQuery = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  deleted: z.enum(['exclude', 'include']).default('exclude').describe('posts deleted on their platform are left out unless include'),
  raw: z.enum(['include', 'exclude']).default('include').describe("each post's original JSON (most of a file's size); exclude leaves it out"),
});
const NetworkQuery = z.strictObject({ type: z.enum(NETWORK_TYPES).default('retweet'), format: z.enum(['gexf', 'csv']).default('gexf') });

export function registerExportRoutes(app: App, d: ExportDeps): void {
  const r = routesOf(app, 'analytics');
  r.get(
    '/api/events/:name/export',
    { access: 'export', summary: "download the event's rows", params: NameParams, query: ExportQuery, produces: Object.values(TYPES) },
    async (req, reply) => {
      const { name } = req.params;
      const { format, deleted, raw } = req.query;
      await knownOrHasRows(d, name);
      const file = format === 'ids' ? `${name}-ids.txt` : format === 'bundle' ? `${name}-dataset.tar.gz` : `${name}.${format}`;
      const out = await d.exportEvent(name, format, { includeDeleted: deleted === 'include', includeRaw: raw === 'include' });
      // Every export points at its manifest and carries its checksum (RFC 9530), so a download can be cited and checked.
      reply
        .header('link', `</api/events/${encodeURIComponent(name)}/manifest>; rel="describedby"; type="application/json"`)
        .header('repr-digest', `sha-256=:${Buffer.from(out.sha256, 'hex').toString('base64')}:`)
        .header('content-length', out.bytes);
      return download(reply, file, TYPES[format], out.stream);
    },
  );
  r.get(
    '/api/events/:name/network',
    {
      access: 'export',
      summary: "the event's retweet, mention, reply or co-hashtag network (GEXF or CSV edges)",
      params: NameParams,
      query: NetworkQuery,
      produces: ['application/gexf+xml', 'text/csv'],
    },
    async (req, reply) => {
      const { name } = req.params;
      const { type, format } = req.query;
      await knownOrHasRows(d, name);
      const built = new NetworkBuilder(type);
      let cut = false;
      for await (const rows of d.store.eventRowSlices(name, NETWORK_COLUMNS)) {
        const room = NETWORK_MAX_ROWS - built.rows;
        built.add(rows.slice(0, room));
        cut = rows.length > room;
        if (cut) break;
      }
      const net = built.network();
      const title = `${type} network of the event ${name}${cut ? `, from its first ${NETWORK_MAX_ROWS.toLocaleString('en-US')} rows in post time (the event has more)` : ''}`;
      reply.header('vigil-network-rows', `${built.rows}${cut ? ' (cut: the event has more)' : ''}`);
      const body = format === 'gexf' ? toGexf(net, title, new Date().toISOString()) : toEdgeCsv(net);
      return download(reply, `${name}-${type}.${format}`, format === 'gexf' ? 'application/gexf+xml; charset=utf-8' : 'text/csv; charset=utf-8', body);
    },
  );
}

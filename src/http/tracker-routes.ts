// Collection: files in the import folder (upload, list, delete), and replaying one of them.

import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import type { ImportFolder } from '../roles/tracker/import-folder.js';
import type { Tracker } from '../roles/tracker/tracker.js';
import { ValidationError } from '../core/errors.js';

export interface TrackerRouteOptions {
  imports: ImportFolder;
  maxUploadBytes: number;
}

type NameParams = { Params: { name: string } };

/** True for the requests whose body streams into the import folder (no body timeout: idle and rate limits). */
export function isUpload(url: string, method: string): boolean {
  return method === 'PUT' && url.startsWith('/api/imports/');
}

export function registerTrackerRoutes(app: FastifyInstance, tracker: Tracker, o: TrackerRouteOptions): void {
  app.post('/api/replay', { config: { access: 'sources' } }, async (req, reply) => {
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const errors: { field: string; message: string }[] = [];
    if (typeof b.file !== 'string' || b.file === '') errors.push({ field: 'file', message: `is required: the name of a JSONL file (gzip allowed) in the import folder (upload it with PUT /api/imports/NAME)` });
    if (b.rate !== undefined && (typeof b.rate !== 'number' || b.rate < 0)) errors.push({ field: 'rate', message: 'must be a number of lines per second, 0 for as fast as possible' });
    if (errors.length > 0) throw new ValidationError(errors);
    const path = await o.imports.resolve(b.file as string);
    return reply.status(202).send(await tracker.replay(path, (b.rate as number | undefined) ?? 0));
  });

  // Uploads: the body is the file itself, streamed to the folder (any content type; never parsed here).
  void app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    uploads.put<NameParams>('/api/imports/:name', { config: { access: 'sources' } }, async (req, reply) => {
      if (!req.body) throw new ValidationError([{ field: 'body', message: 'send the file itself as the request body (curl -T FILE, or the UI\'s upload box)' }]);
      const saved = await o.imports.save(req.params.name, req.body as Readable, { maxBytes: o.maxUploadBytes });
      return reply.status(saved.existed ? 200 : 201).send(saved);
    });
  });
  app.get('/api/imports', { config: { access: 'sources' } }, async () => ({ folder: o.imports.dir, files: await o.imports.list() }));
  app.delete<NameParams>('/api/imports/:name', { config: { access: 'sources' } }, async (req, reply) => {
    await o.imports.remove(req.params.name);
    return reply.status(204).send();
  });
}

// Collection: files in the import folder (upload, list, delete), and replaying one of them.

import type { Readable } from 'node:stream';
import { ValidationError } from '../core/errors.js';
import type { ImportFolder } from '../roles/tracker/import-folder.js';
import type { Tracker } from '../roles/tracker/tracker.js';
import { ImportsSchema, NameParams, ReplayBody, SourceStatusSchema, UploadedSchema } from './api-schemas.js';
import { type App, routesOf } from './routes.js';

export interface TrackerRouteOptions {
  imports: ImportFolder;
  maxUploadBytes: number;
}

/** True for the requests whose body streams into the import folder (no body timeout: idle and rate limits). */
export function isUpload(url: string, method: string): boolean {
  return method === 'PUT' && url.startsWith('/api/imports/');
}

export function registerTrackerRoutes(app: App, tracker: Tracker, o: TrackerRouteOptions): void {
  const r = routesOf(app, 'tracker');
  r.post(
    '/api/replay',
    { access: 'sources', summary: 'stream a file of the import folder as if live', body: ReplayBody, status: 202, response: SourceStatusSchema },
    async (req, reply) => {
      const { file, rate } = req.body;
      const errors: { field: string; message: string }[] = [];
      if (typeof file !== 'string' || file === '')
        errors.push({
          field: 'file',
          message: 'is required: the name of a JSONL file (gzip allowed) in the import folder (upload it with PUT /api/imports/NAME)',
        });
      if (rate !== undefined && (typeof rate !== 'number' || rate < 0))
        errors.push({ field: 'rate', message: 'must be a number of lines per second, 0 for as fast as possible' });
      if (errors.length > 0) throw new ValidationError(errors);
      const path = await o.imports.resolve(file as string);
      return reply.status(202).send(await tracker.replay(path, (rate as number | undefined) ?? 0));
    },
  );
  // Uploads: the body is the file itself, streamed to the folder (any content type; never parsed here).
  void app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    routesOf(uploads, 'tracker').put(
      '/api/imports/:name',
      {
        access: 'sources',
        summary: 'upload an archive into the import folder (the body is the file: curl -T FILE)',
        params: NameParams,
        status: 201,
        response: UploadedSchema,
      },
      async (req, reply) => {
        if (!req.body)
          throw new ValidationError([{ field: 'body', message: "send the file itself as the request body (curl -T FILE, or the UI's upload box)" }]);
        const saved = await o.imports.save(req.params.name, req.body as Readable, { maxBytes: o.maxUploadBytes });
        return reply.status(saved.existed ? 200 : 201).send(saved);
      },
    );
  });
  r.get('/api/imports', { access: 'sources', summary: 'the files in the import folder', response: ImportsSchema }, async () => ({
    folder: o.imports.dir,
    files: await o.imports.list(),
  }));
  r.delete(
    '/api/imports/:name',
    { access: 'sources', summary: 'remove a file from the import folder', params: NameParams, status: 204 },
    async (req, reply) => {
      await o.imports.remove(req.params.name);
      return reply.status(204).send();
    },
  );
}

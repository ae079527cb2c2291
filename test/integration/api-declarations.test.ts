// Every route is declared once (routes.ts): the OpenAPI document made from the declarations is valid OpenAPI 3.1 and
// lists every API route with the access it needs, GET /api lists the same, and every route with a body or a query
// string refuses a field it does not declare (400 naming it) before its handler runs; a route that declares no query
// parameters refuses any.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { ACTIONS } from '../../src/core/access.js';
import { type EmbeddedRuntime, startEmbedded } from '../../src/runtime/embedded.js';
import { silentLogger } from '../../src/util/log.js';

interface Operation {
  'x-vigil-access'?: string;
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
}
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

let rt: EmbeddedRuntime;
let doc: OpenApi;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-api-'));
  rt = await startEmbedded(loadConfig({ port: '0', dataDir: join(dir, 'data'), auth: 'off', classifierWorkers: '0' }, {}), silentLogger);
  doc = (await (await fetch(`${rt.url}/api/openapi.json`)).json()) as OpenApi;
}, 60_000);
afterAll(async () => {
  await rt?.close();
});

const operations = (): { method: string; path: string; op: Operation }[] =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));

describe('the API, declared once', () => {
  it('is described by a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every API route with the access it needs, as GET /api does', async () => {
    const index = (await (await fetch(`${rt.url}/api`)).json()) as { endpoints: { method: string; path: string; access: string }[] };
    const ops = operations().filter((o) => o.path.startsWith('/api') && o.path !== '/api' && o.path !== '/api/openapi.json');
    expect(ops.length).toBeGreaterThan(40);
    for (const o of ops) expect(ACTIONS, `${o.method} ${o.path}`).toContain(o.op['x-vigil-access']);
    const fromDoc = ops.map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/gu, ':$1')}`).sort();
    expect(index.endpoints.map((e) => `${e.method} ${e.path}`).sort()).toEqual(fromDoc);
  });

  it('refuses a query parameter any API route does not declare, and a body field any route that takes a body does not, naming it', async () => {
    let checked = 0;
    for (const { method, path, op } of operations()) {
      const url = path.replace(/\{\w+\}/gu, 'x');
      // Every API route, whether it declares parameters or none (one ignored in silence reads as obeyed); a route
      // that takes a body checks it first, and its body is checked below.
      if (path.startsWith('/api/') && !op.requestBody) {
        const r = await fetch(`${rt.url}${url}?evil=1`, { method });
        expect(r.status, `${method} ${path}?evil`).toBe(400);
        expect(((await r.json()) as { errors: { field: string }[] }).errors, `${method} ${path}`).toContainEqual({
          field: 'evil',
          message: 'is not a parameter of this endpoint',
        });
        checked++;
      }
      if (op.requestBody && path !== '/api/imports/{name}') {
        const r = await fetch(`${rt.url}${url}`, { method, headers: { 'content-type': 'application/json' }, body: '{"evil": 1}' });
        expect(r.status, `${method} ${path} {evil}`).toBe(400);
        expect(((await r.json()) as { code: string; errors: { field: string }[] }).errors, `${method} ${path}`).toContainEqual({
          field: 'evil',
          message: 'is not a field of this endpoint',
        });
        const list = await fetch(`${rt.url}${url}`, { method, headers: { 'content-type': 'application/json' }, body: '[1, 2]' });
        expect(list.status, `${method} ${path} [1,2]`).toBe(400);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

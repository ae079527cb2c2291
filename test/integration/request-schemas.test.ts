// Every endpoint with a body or query parameters declares its fields: an unknown field or a body that is not an
// object is refused with 400 naming it, before the handler runs.

import { describe, expect, it } from 'vitest';
import { createServer } from '../../src/http/server.js';
import { REQUEST_SCHEMAS } from '../../src/http/body-schemas.js';
import { silentLogger } from '../../src/util/log.js';

describe('declared request schemas', () => {
  const app = createServer(silentLogger);
  const reached: string[] = [];
  for (const key of Object.keys(REQUEST_SCHEMAS)) {
    const [method, url] = key.split(' ');
    app.route({ method: method as 'GET', url, handler: async () => (reached.push(key), { ok: true }) });
  }

  it.each(Object.entries(REQUEST_SCHEMAS))('%s refuses an unknown field and lets the known ones through', async (key, s) => {
    const [method, route] = key.split(' ');
    const url = route.replace(':name', 'x');
    if (s.query) {
      const bad = await app.inject({ method: method as 'GET', url: `${url}?evil=1` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ error: expect.any(String), errors: [{ field: 'evil', message: 'is not a parameter of this endpoint' }] });
    }
    if (s.body) {
      const bad = await app.inject({ method: method as 'POST', url, payload: { evil: 1 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([{ field: 'evil', message: 'is not a field of this endpoint' }]);
      const notObject = await app.inject({ method: method as 'POST', url, payload: '[1,2]', headers: { 'content-type': 'application/json' } });
      expect(notObject.statusCode).toBe(400);
      expect(notObject.json().errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const before = reached.length;
    const ok = await app.inject({ method: method as 'GET', url, ...(s.body ? { payload: {} } : {}) });
    expect(ok.statusCode).toBe(200);
    expect(reached.length).toBe(before + 1);
  });
});

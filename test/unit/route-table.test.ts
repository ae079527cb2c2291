import { describe, expect, it } from 'vitest';
import { declaredRoutes, roleOfPath } from '../../src/http/route-table.js';
import { roleRoutes } from '../../src/runtime/gateway.js';

describe('route table read from the route declarations', () => {
  it('lists every API route once per method, each with the role that serves it', async () => {
    const routes = await declaredRoutes();
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of [
      'GET /api/events',
      'POST /api/events',
      'GET /api/events/:name/stats',
      'POST /api/query',
      'POST /api/replay',
      'GET /api/status',
      'GET /healthz',
    ])
      expect(keys).toContain(k);
  });

  it('sends each path to the role of its route, fixed segments before parameters, and unknown paths nowhere', async () => {
    const roleOf = roleOfPath(await declaredRoutes());
    expect(roleOf('/api/events')).toBe('events');
    expect(roleOf('/api/events/sandy')).toBe('events');
    expect(roleOf('/api/events/sandy/stats')).toBe('analytics');
    expect(roleOf('/api/events/sandy/export')).toBe('analytics');
    expect(roleOf('/api/query')).toBe('analytics');
    expect(roleOf('/api/replay')).toBe('tracker');
    expect(roleOf('/api/status')).toBe('controller');
    expect(roleOf('/metrics')).toBe('controller');
    expect(roleOf('/assets/app.js')).toBeNull();
    expect(roleOf('/api/events/a/b/c/d')).toBeNull();
  });

  it('gives the gateway one target per path, the web UI and unknown paths to the events process', async () => {
    const routes = roleRoutes(
      roleOfPath(await declaredRoutes()),
      (id) => `http://${id}`,
      () => 'http://controller',
    );
    const targetOf = (p: string) => routes.filter((r) => r.match(p)).map((r) => r.target);
    expect(targetOf('/api/events/sandy/summary')).toEqual(['analytics']);
    expect(targetOf('/api/imports')).toEqual(['tracker-0']);
    expect(targetOf('/readyz')).toEqual(['controller']);
    expect(targetOf('/')).toEqual(['events']);
    expect(targetOf('/api/events/sandy')).toEqual(['events']);
  });
});

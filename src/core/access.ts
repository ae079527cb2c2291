// Who may do what: three roles, and the action each API route needs. Pure; the HTTP layer enforces it.

export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

/** read: see events, stats, pages · query: SQL and notebooks · export: download rows · events: create/edit/delete
 *  events · sources: start collection (replay) · admin: users, credentials, audit · self: own session and tokens. */
export type Action = 'public' | 'self' | 'read' | 'query' | 'export' | 'events' | 'sources' | 'admin';

const GRANTS: Record<Role, readonly Action[]> = {
  viewer: ['self', 'read'],
  analyst: ['self', 'read', 'query', 'export', 'events'],
  admin: ['self', 'read', 'query', 'export', 'events', 'sources', 'admin'],
};

export function allowed(role: Role, action: Action): boolean {
  return action === 'public' || GRANTS[role].includes(action);
}

/** A role may hand out tokens of its own rank or below. */
export function roleAtMost(role: Role, limit: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(limit);
}

/** The action a request needs, from its method and path (without query string). */
export function actionOf(method: string, path: string): Action {
  if (!path.startsWith('/api')) return 'public';
  if (path === '/api/auth/login') return 'public';
  if (path.startsWith('/api/auth/')) return 'self';
  if (path.startsWith('/api/tokens')) return 'self';
  if (path.startsWith('/api/users') || path.startsWith('/api/audit') || path.startsWith('/api/credentials')) return 'admin';
  if (/^\/api\/events\/[^/]+\/(export|network)$/u.test(path)) return 'export';
  if (path.startsWith('/api/query')) return 'query';
  if (path.startsWith('/api/notebooks') && method !== 'GET') return 'query';
  if (path.startsWith('/api/replay')) return 'sources';
  if (path.startsWith('/api/events') && method !== 'GET') return 'events';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}

// Who may do what: three access levels, and the actions they are granted. Each HTTP route declares the action it needs
// (its `config.access`); the HTTP layer checks it against the caller's role. Pure.

export type AccessLevel = 'admin' | 'analyst' | 'viewer';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['admin', 'analyst', 'viewer'];
export const ACTIONS = ['public', 'self', 'read', 'query', 'export', 'events', 'sources', 'admin'] as const;

/** read: see events, stats, pages · query: SQL and notebooks · export: download rows · events: create/edit/delete
 *  events · sources: start collection (replay) · admin: users, credentials, audit · self: own session and tokens. */
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<AccessLevel, readonly Action[]> = {
  viewer: ['self', 'read'],
  analyst: ['self', 'read', 'query', 'export', 'events'],
  admin: ['self', 'read', 'query', 'export', 'events', 'sources', 'admin'],
};

export function allowed(role: AccessLevel, action: Action): boolean {
  return action === 'public' || GRANTS[role].includes(action);
}

/** A role may hand out tokens of its own rank or below. */
export function roleAtMost(role: AccessLevel, limit: AccessLevel): boolean {
  return ACCESS_LEVELS.indexOf(role) >= ACCESS_LEVELS.indexOf(limit);
}

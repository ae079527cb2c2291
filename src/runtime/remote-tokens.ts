// API tokens checked by the event manager, for role processes that do not hold the accounts: the token is sent to
// its GET /api/auth/me, and the answer is kept for a short while (a revoked token stops working within that time).

import { createHash } from 'node:crypto';
import type { Role } from '../core/access.js';
import { UnauthorizedError, type Identity } from '../roles/auth.js';

export const REMOTE_TOKEN_CACHE_MS = 30_000;

export function remoteTokenCheck(eventsUrl: string, cacheMs = REMOTE_TOKEN_CACHE_MS): (bearer: string) => Promise<Identity> {
  const cache = new Map<string, { identity: Identity; until: number }>();
  return async (bearer) => {
    const key = createHash('sha256').update(bearer).digest('hex');
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.identity;
    let res: Response;
    try {
      res = await fetch(new URL('/api/auth/me', eventsUrl), { headers: { authorization: `Bearer ${bearer}` }, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw Object.assign(new Error(`cannot check the API token with the event manager at ${eventsUrl} (${(err as Error).message}); try again`), { statusCode: 503 });
    }
    if (res.status === 401 || res.status === 403) throw new UnauthorizedError(((await res.json().catch(() => ({}))) as { error?: string }).error ?? 'the API token is unknown or revoked');
    if (!res.ok) throw Object.assign(new Error(`the event manager answered ${res.status} when checking the API token; try again`), { statusCode: 503 });
    const me = (await res.json()) as { user?: string; role?: Role };
    if (!me.user || !me.role) throw new UnauthorizedError('the event manager did not recognise the API token');
    const identity: Identity = { user: me.user, role: me.role, via: 'token' };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { identity, until: Date.now() + cacheMs });
    return identity;
  };
}

// Credentials checked by the event manager, for role processes that do not hold the accounts: the request's bearer
// credential or session is sent to its GET /api/auth/me, and the answer is kept for a few seconds (a revoked token,
// an ended session or a changed role takes effect within that time).

import { createHash } from 'node:crypto';
import type { Credentials, Identity } from '../auth/auth-service.js';
import type { AccessLevel } from '../core/access.js';
import { errorMessage, UnauthorizedError } from '../core/errors.js';

export const REMOTE_CHECK_CACHE_MS = 5_000;

export function remoteCredentialCheck(eventsUrl: string, cacheMs = REMOTE_CHECK_CACHE_MS): (c: Credentials) => Promise<Identity> {
  const cache = new Map<string, { identity: Identity; until: number }>();
  return async (c) => {
    const key = createHash('sha256')
      .update(c.bearer ? `b:${c.bearer}` : `s:${c.session ?? ''}`)
      .digest('hex');
    const hit = cache.get(key);
    if (hit && hit.until > performance.now()) return hit.identity;
    const headers: Record<string, string> = c.bearer ? { authorization: `Bearer ${c.bearer}` } : { cookie: `vigil_session=${c.session ?? ''}` };
    let res: Response;
    try {
      res = await fetch(new URL('/api/auth/me', eventsUrl), { headers, signal: AbortSignal.timeout(5000) });
    } catch (err) {
      throw Object.assign(new Error(`cannot check the credential with the event manager at ${eventsUrl} (${errorMessage(err)}); try again`), {
        statusCode: 503,
      });
    }
    if (res.status === 401 || res.status === 403)
      throw new UnauthorizedError(((await res.json().catch(() => ({}))) as { error?: string }).error ?? 'the credential is unknown or revoked');
    if (!res.ok) throw Object.assign(new Error(`the event manager answered ${res.status} when checking the credential; try again`), { statusCode: 503 });
    const me = (await res.json()) as { user?: string; role?: AccessLevel; csrf?: string };
    if (!me.user || !me.role) throw new UnauthorizedError('the event manager did not recognise the credential');
    const identity: Identity = {
      user: me.user,
      role: me.role,
      via: c.bearer ? (c.bearer.startsWith('vgl_') ? 'token' : 'jwt') : 'session',
      ...(me.csrf ? { csrf: me.csrf } : {}),
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { identity, until: performance.now() + cacheMs });
    return identity;
  };
}

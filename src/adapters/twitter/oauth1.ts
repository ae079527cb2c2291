// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1), as Twitter's v1.1 streaming API requires.

import { createHmac, randomBytes } from 'node:crypto';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** RFC 3986 percent-encoding (stricter than encodeURIComponent: also ! ' ( ) *). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The signature of a request: method, URL without query, and every query/body/oauth parameter. */
export function oauth1Signature(method: string, url: string, params: Record<string, string>, consumerSecret: string, tokenSecret: string): string {
  const u = new URL(url);
  const all: [string, string][] = [...Object.entries(params), ...[...u.searchParams.entries()]];
  const paramString = all
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${method.toUpperCase()}&${percentEncode(`${u.origin}${u.pathname}`)}&${percentEncode(paramString)}`;
  return createHmac('sha1', `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(base)
    .digest('base64');
}

/** The Authorization header for a request whose form body (or query) holds `params`. */
export function oauth1Header(
  method: string,
  url: string,
  params: Record<string, string>,
  c: OAuth1Credentials,
  now = Date.now(),
  nonce = randomBytes(16).toString('hex'),
): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: c.consumerKey,
    oauth_nonce: nonce,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(now / 1000)),
    oauth_token: c.token,
    oauth_version: '1.0',
  };
  oauth.oauth_signature = oauth1Signature(method, url, { ...params, ...oauth }, c.consumerSecret, c.tokenSecret);
  return `OAuth ${Object.entries(oauth)
    .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
    .join(', ')}`;
}

/** Parses an OAuth Authorization header back into its parameters (for checking a signature). */
export function parseOAuthHeader(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^OAuth\s+/u, '').matchAll(/([\w-]+)="([^"]*)"/gu)) out[decodeURIComponent(m[1])] = decodeURIComponent(m[2]);
  return out;
}

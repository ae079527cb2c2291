// How the `vigil` commands reach a running Vigil: its address (--url, VIGIL_URL, else 127.0.0.1:VIGIL_PORT or 8080)
// and a credential (VIGIL_TOKEN, else the API token Vigil wrote for the local CLI into its data directory, readable
// by its owner only: <data>/cli-token, or <data>/events/cli-token for `vigil run`).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { errorMessage } from '../core/errors.js';

export function vigilUrl(given?: string): string {
  return (given ?? process.env.VIGIL_URL ?? `http://127.0.0.1:${process.env.VIGIL_PORT ?? '8080'}`).replace(/\/$/u, '');
}

/** The token to send: VIGIL_TOKEN, else the local CLI's token file of the data directory (none when unreadable). */
export function cliToken(dataDir?: string): string | null {
  if (process.env.VIGIL_TOKEN) return process.env.VIGIL_TOKEN;
  const data = resolve(dataDir ?? process.env.VIGIL_DATA ?? './vigil-data');
  for (const file of [join(data, 'cli-token'), join(data, 'events', 'cli-token')]) {
    try {
      const t = readFileSync(file, 'utf8').trim();
      if (t) return t;
    } catch {
      // not there, or not ours to read
    }
  }
  return null;
}

export function authHeaders(dataDir?: string): Record<string, string> {
  const t = cliToken(dataDir);
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** A request to Vigil; an unreachable Vigil or a refused credential become errors that say what to do. */
export async function callVigil(url: string, path: string, init: RequestInit & { dataDir?: string } = {}): Promise<Response> {
  const { dataDir, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(`${url}${path}`, { ...rest, headers: { ...authHeaders(dataDir), ...(rest.headers as Record<string, string> | undefined) } });
  } catch (err) {
    throw new Error(
      `cannot reach Vigil at ${url} (${errorMessage(err instanceof Error && err.cause instanceof Error ? err.cause : err)}); is it running? give its address with --url`,
    );
  }
  if (res.status === 401)
    throw new Error(
      `Vigil at ${url} wants credentials: set VIGIL_TOKEN to an API token (the UI's Access page), or run this as the user who started Vigil (its token is in <data>/cli-token; give --data if it is not ./vigil-data)`,
    );
  return res;
}

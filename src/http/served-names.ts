// Which names Vigil answers to, whatever accounts say: a request whose Host is not one of them (DNS rebinding: a web
// page that points its own name at 127.0.0.1) is refused, and so is a change (POST, PUT, PATCH, DELETE) sent by a
// page of another origin. The names: loopback names, the address Vigil listens on (every address of the machine
// when it listens on all of them, and its host name), the host of --public-url, and --allowed-hosts.

import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK = ['localhost', '127.0.0.1', '::1'];
const WILDCARD = ['0.0.0.0', '::', ''];

export interface ServedNamesOptions {
  /** The address Vigil listens on (--host). */
  listenHost: string;
  /** --public-url: the address people and proxies use, e.g. https://vigil.example.org. */
  publicUrl?: string;
  /** --allowed-hosts: further names (a Kubernetes Service name, a proxy's). */
  allowedHosts?: readonly string[];
}

/** A Host header or URL host without its port and brackets, lower case: "[::1]:8080" → "::1". */
export function bareHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colons = h.split(':').length - 1;
  return colons === 1 ? h.slice(0, h.indexOf(':')) : h.replace(/\.$/u, '');
}

export class ServedNames {
  private readonly hosts = new Set<string>();
  private readonly publicOrigin: string | null;

  constructor(o: ServedNamesOptions) {
    for (const h of LOOPBACK) this.hosts.add(h);
    const listen = bareHost(o.listenHost);
    if (WILDCARD.includes(listen)) {
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) this.hosts.add(bareHost(a.address.split('%')[0]));
      this.hosts.add(hostname().toLowerCase());
    } else this.hosts.add(listen);
    for (const h of o.allowedHosts ?? []) if (h.trim() !== '') this.hosts.add(bareHost(h));
    this.publicOrigin = o.publicUrl ? new URL(o.publicUrl).origin.toLowerCase() : null;
    if (o.publicUrl) this.hosts.add(bareHost(new URL(o.publicUrl).host));
  }

  /** Whether a request with this Host header is for Vigil. `*.localhost` is loopback too (RFC 6761). */
  servesHost(hostHeader: string | undefined): boolean {
    if (!hostHeader) return false;
    const h = bareHost(hostHeader);
    return this.hosts.has(h) || h.endsWith('.localhost');
  }

  /** Whether a page at `origin` is one of Vigil's own: a served name on the port Vigil listens on, or --public-url. */
  servesOrigin(origin: string, port: number): boolean {
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return false;
    }
    if (this.publicOrigin && u.origin.toLowerCase() === this.publicOrigin) return true;
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    const p = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
    return p === port && this.servesHost(u.host);
  }

  /** The names, for an error message. */
  describe(): string {
    return [...this.hosts].slice(0, 8).join(', ') + (this.hosts.size > 8 ? ', …' : '');
  }
}

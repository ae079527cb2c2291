// The names Vigil answers to (DNS rebinding refused) and the origins whose pages may make changes.

import { describe, expect, it } from 'vitest';
import { bareHost, ServedNames } from '../../src/http/served-names.js';

describe('served names', () => {
  const local = new ServedNames({ listenHost: '127.0.0.1' });

  it('reads a Host header or URL host without port, brackets or trailing dot', () => {
    expect(bareHost('LOCALHOST:8080')).toBe('localhost');
    expect(bareHost('[::1]:8080')).toBe('::1');
    expect(bareHost('::1')).toBe('::1');
    expect(bareHost('example.org.')).toBe('example.org');
  });

  it('answers to loopback names on any port, and refuses any other name', () => {
    for (const h of ['localhost:8080', '127.0.0.1:9', '[::1]:8080', 'app.localhost:8080']) expect(local.servesHost(h), h).toBe(true);
    for (const h of ['evil.example.com', 'evil.example.com:8080', '127.0.0.1.nip.io', 'localhost.evil.com', '', undefined])
      expect(local.servesHost(h), String(h)).toBe(false);
  });

  it('adds the listen address, the public URL host and the allowed hosts', () => {
    const n = new ServedNames({ listenHost: '10.1.2.3', publicUrl: 'https://vigil.example.org', allowedHosts: ['vigil-analytics'] });
    for (const h of ['10.1.2.3:8080', 'vigil.example.org', 'VIGIL.example.org:443', 'vigil-analytics:8080']) expect(n.servesHost(h), h).toBe(true);
    expect(n.servesHost('10.1.2.4:8080')).toBe(false);
  });

  it('takes changes from its own origin on its port, or the public URL, and from no other', () => {
    const n = new ServedNames({ listenHost: '127.0.0.1', publicUrl: 'https://vigil.example.org' });
    expect(n.servesOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    expect(n.servesOrigin('http://localhost:8080', 8080)).toBe(true);
    expect(n.servesOrigin('https://vigil.example.org', 8080)).toBe(true);
    for (const o of [
      'http://localhost:3000',
      'http://evil.example.com:8080',
      'null',
      'file://',
      'https://vigil.example.org.evil.com',
      'http://vigil.example.org',
    ])
      expect(n.servesOrigin(o, 8080), o).toBe(false);
  });
});

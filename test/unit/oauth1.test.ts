import { describe, expect, it } from 'vitest';
import { oauth1Header, oauth1Signature, parseOAuthHeader, percentEncode } from '../../src/adapters/twitter/oauth1.js';

describe('OAuth 1.0a signing', () => {
  it("reproduces the signature of Twitter's documented example request", () => {
    const params = {
      status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
      include_entities: 'true',
      oauth_consumer_key: 'xvz1evFS4wEEPTGEFPHBog',
      oauth_nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '1318622958',
      oauth_token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      oauth_version: '1.0',
    };
    expect(
      oauth1Signature(
        'POST',
        'https://api.twitter.com/1.1/statuses/update.json',
        params,
        'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      ),
    ).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('percent-encodes as RFC 3986 asks', () => {
    expect(percentEncode("Ladies + Gentlemen!*'()")).toBe('Ladies%20%2B%20Gentlemen%21%2A%27%28%29');
  });

  it('builds a header whose signature a server can check', () => {
    const c = { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' };
    const h = oauth1Header('POST', 'https://stream.twitter.com/1.1/statuses/filter.json', { track: 'sandy,new york city' }, c, 1_700_000_000_000, 'nonce1');
    const p = parseOAuthHeader(h);
    const { oauth_signature: sig, ...rest } = p;
    expect(p.oauth_timestamp).toBe('1700000000');
    expect(oauth1Signature('POST', 'https://stream.twitter.com/1.1/statuses/filter.json', { track: 'sandy,new york city', ...rest }, 'cs', 'ts')).toBe(sig);
  });
});

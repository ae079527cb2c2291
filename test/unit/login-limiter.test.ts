// Password guessing limited per address and per account, counted before the password is checked.

import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../src/auth/login-limiter.js';
import { TooManyRequestsError } from '../../src/core/errors.js';

describe('login limiter', () => {
  it('counts attempts in flight: the sixth at once is refused before any password is checked', () => {
    const l = new LoginLimiter(5, 60_000, () => 0);
    for (let i = 0; i < 5; i++) l.begin(['address:a', 'account:admin']);
    expect(() => l.begin(['address:a', 'account:admin'])).toThrow(TooManyRequestsError);
  });

  it('limits an account whatever the address, and an address whatever the account', () => {
    const l = new LoginLimiter(2, 60_000, () => 0);
    l.begin(['address:a', 'account:admin']);
    l.begin(['address:b', 'account:admin']);
    expect(() => l.begin(['address:c', 'account:admin'])).toThrow(TooManyRequestsError);
    l.begin(['address:d', 'account:x']);
    l.begin(['address:d', 'account:y']);
    expect(() => l.begin(['address:d', 'account:z'])).toThrow(TooManyRequestsError);
  });

  it('a success gives its own place back without forgiving earlier failures; a minute later all is forgiven', () => {
    let now = 0;
    const l = new LoginLimiter(3, 60_000, () => now);
    const k = ['address:a', 'account:admin'];
    l.begin(k);
    l.begin(k);
    l.begin(k);
    l.succeeded(k);
    l.begin(k);
    expect(() => l.begin(k)).toThrow(TooManyRequestsError);
    now = 60_000;
    expect(() => l.begin(k)).not.toThrow();
  });
});

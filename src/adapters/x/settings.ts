// Settings of the X API v2 filtered stream (--source x-v2); the bearer token comes from the environment.

import { z } from 'zod';
import { group, setting } from '../../config/setting.js';

export const X_SETTINGS = group('X API v2 (--source x-v2)', {
  xApiUrl: setting('--x-api-url', 'the X API (bearer token: VIGIL_X_BEARER_TOKEN)', z.string().url('must be a URL').default('https://api.x.com')),
});

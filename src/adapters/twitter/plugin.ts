// The Twitter v1.1 streaming API (statuses/filter) as a live source: one connection per 400 phrases, replaced
// make-before-break when the events change.

import { UsageError } from '../../core/errors.js';
import { planTrackers, type SourceShape, type TrackerConnection } from '../../core/plan.js';
import type { SourcePlugin } from '../plugin.js';
import type { OAuth1Credentials } from './oauth1.js';
import { TWITTER_SETTINGS } from './settings.js';

/** The app's OAuth 1.0a credentials from the environment; says which are missing. */
function twitterCredentials(): OAuth1Credentials {
  const names = {
    consumerKey: 'VIGIL_TWITTER_CONSUMER_KEY',
    consumerSecret: 'VIGIL_TWITTER_CONSUMER_SECRET',
    token: 'VIGIL_TWITTER_TOKEN',
    tokenSecret: 'VIGIL_TWITTER_TOKEN_SECRET',
  } as const;
  const missing = Object.values(names).filter((n) => !process.env[n]);
  if (missing.length > 0) throw new UsageError(`--source twitter-v1 needs the app's OAuth 1.0a credentials: set ${missing.join(', ')} (README: Live sources)`);
  const get = (n: string): string => process.env[n] ?? '';
  return { consumerKey: get(names.consumerKey), consumerSecret: get(names.consumerSecret), token: get(names.token), tokenSecret: get(names.tokenSecret) };
}

/** What one v1.1 filter connection may ask for: 400 phrases, 5,000 user ids and 25 boxes (Twitter's documented limits). */
export const TWITTER_V1_SHAPE: SourceShape = { name: 'twitter-v1', split: { track: 400, follow: 5000, locations: 25 } };

export const twitterSource: SourcePlugin = {
  name: 'twitter-v1',
  doc: 'Twitter/X v1.1 statuses/filter (OAuth 1.0a): track, follow and locations from the events',
  settings: TWITTER_SETTINGS,
  shape: TWITTER_V1_SHAPE,
  async follow({ config, tracker, events, metrics }) {
    const credentials = twitterCredentials();
    const { TwitterStreamSource } = await import('./twitter-stream-source.js');
    const make = (conn: TrackerConnection) =>
      new TwitterStreamSource({
        url: config.twitterStreamUrl,
        credentials,
        track: conn.keywords,
        follow: conn.follow,
        locations: conn.locations,
        stallMs: config.streamStallMs,
        onReconnect: () => metrics.sourceReconnects.inc({ source: 'twitter-v1' }),
      });
    // Under the controller the keywords come with the process (one connection); alone, the tracker follows the events.
    const fixed = config.trackKeywords;
    const other = config.trackTargets ?? { follow: [], locations: [] };
    const plan = fixed
      ? async () =>
          fixed.length + other.follow.length + other.locations.length > 0
            ? [{ id: 'tracker-0', source: TWITTER_V1_SHAPE.name, keywords: fixed, ...other, hash: 'fixed' }]
            : []
      : async () => planTrackers(await events.list(), TWITTER_V1_SHAPE);
    await tracker.followPlan(plan, make);
  },
};

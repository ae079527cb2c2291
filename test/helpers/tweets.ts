// Builds Twitter API v1.1 tweet objects shaped like the real stream's (user, entities, extended_tweet …).

export interface TweetSpec {
  id: string;
  text: string;
  screenName?: string;
  hashtags?: string[];
  mentions?: string[];
  urls?: { expanded: string; display?: string }[];
  createdAt?: string;
  lang?: string;
  extendedText?: string;
  retweetOf?: Record<string, unknown>;
  quoteOf?: Record<string, unknown>;
  coordinates?: [number, number];
  media?: string[];
}

export function twitterDate(iso: string): string {
  const d = new Date(iso);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

export function tweet(s: TweetSpec): Record<string, unknown> {
  const entities = {
    hashtags: (s.hashtags ?? []).map((text) => ({ text, indices: [0, text.length + 1] })),
    user_mentions: (s.mentions ?? []).map((m, i) => ({ screen_name: m, name: `${m} name`, id: 1000 + i, id_str: String(1000 + i), indices: [0, 1] })),
    urls: (s.urls ?? []).map((u) => ({
      url: 'https://t.co/abc',
      expanded_url: u.expanded,
      display_url: u.display ?? u.expanded.replace(/^https?:\/\//, ''),
      indices: [0, 1],
    })),
    symbols: [],
    ...(s.media ? { media: s.media.map((m) => ({ media_url_https: m, type: 'photo' })) } : {}),
  };
  const t: Record<string, unknown> = {
    created_at: twitterDate(s.createdAt ?? '2012-10-29T12:00:00Z'),
    id: Number(s.id),
    id_str: s.id,
    text: s.extendedText ? `${s.extendedText.slice(0, 120)}… https://t.co/more` : s.text,
    source: '<a href="http://twitter.com">Twitter Web Client</a>',
    truncated: Boolean(s.extendedText),
    user: {
      id: 42,
      id_str: '42',
      name: `${s.screenName ?? 'someone'} Name`,
      screen_name: s.screenName ?? 'someone',
      location: 'New York, NY',
      url: null,
      description: 'weather watcher',
      followers_count: 120,
      friends_count: 80,
      listed_count: 3,
      favourites_count: 10,
      statuses_count: 5000,
      created_at: 'Mon Jan 05 10:00:00 +0000 2009',
      utc_offset: -18000,
      time_zone: 'Eastern Time (US & Canada)',
      geo_enabled: true,
      lang: 'en',
    },
    geo: s.coordinates ? { type: 'Point', coordinates: [s.coordinates[1], s.coordinates[0]] } : null,
    coordinates: s.coordinates ? { type: 'Point', coordinates: s.coordinates } : null,
    place: null,
    retweet_count: 3,
    favorite_count: 7,
    entities,
    favorited: false,
    retweeted: false,
    lang: s.lang ?? 'en',
    timestamp_ms: String(Date.parse(s.createdAt ?? '2012-10-29T12:00:00Z')),
  };
  if (s.extendedText) t.extended_tweet = { full_text: s.extendedText, display_text_range: [0, s.extendedText.length], entities };
  if (s.retweetOf) t.retweeted_status = s.retweetOf;
  if (s.quoteOf) {
    t.quoted_status = s.quoteOf;
    t.is_quote_status = true;
  }
  return t;
}

export const line = (t: unknown): string => JSON.stringify(t);

/** A v1.1 place as the platform sends it: Manhattan's box (for posts placed by their place, not coordinates). */
export const MANHATTAN_PLACE = {
  id: '01a9a39529b27f36',
  place_type: 'city',
  name: 'Manhattan',
  full_name: 'Manhattan, NY',
  country_code: 'US',
  bounding_box: {
    type: 'Polygon',
    coordinates: [
      [
        [-74.026675, 40.683935],
        [-73.910408, 40.683935],
        [-73.910408, 40.877483],
        [-74.026675, 40.877483],
      ],
    ],
  },
};

// A deterministic, realistic Twitter v1.1 stream for benchmarks: full user and entities objects, about 30% retweets
// (which embed the original post and its author, as the real stream does), about 3 KB per line on average.

const CRISIS_TERMS = [
  'sandy',
  'hurricane',
  'flooding',
  'flood',
  'evacuate',
  'evacuation',
  'shelter',
  'power',
  'outage',
  'storm',
  'surge',
  'fema',
  'redcross',
  'rescue',
  'damage',
  'wind',
  'rain',
  'emergency',
  'safe',
  'help',
  'nyc',
  'jersey',
  'subway',
  'bridge',
  'tree',
  'water',
  'fire',
  'earthquake',
  'tsunami',
  'wildfire',
  'tornado',
  'landslide',
  'aftershock',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'pe', 'da', 'fu', 'ge', 'hi', 'jo', 'ba', 'zu', 'ri', 'mo', 'te', 'ni'];
const DOMAINS = ['fema.gov', 'nytimes.com', 'weather.gov', 'redcross.org', 'cnn.com', 'nj.com', 'youtube.com', 'instagram.com', 'bbc.co.uk', 'example.org'];
const LANGS = ['en', 'en', 'en', 'en', 'en', 'es', 'ja', 'fr', 'pt', 'und'];
const SOURCES = [
  '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
  '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>',
  '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The benchmark vocabulary: crisis terms first (the frequent ones), then made-up words. */
export function vocabulary(size = 50_000): string[] {
  const words = [...CRISIS_TERMS];
  const rand = prng(7);
  const seen = new Set(words);
  while (words.length < size) {
    const n = 2 + Math.floor(rand() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

function twitterDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

export interface StreamOptions {
  seed?: number;
  /** Milliseconds since the epoch of the first post; posts are about 10 ms apart. */
  start?: number;
  users?: number;
}

/**
 * Raised whenever the same seed gives other bytes, so that a stream file cached under a name carrying it is made
 * again (2: the lines are in the streaming API's escaped bytes, twitterJson).
 */
const STREAM_VERSION = 2;

/** The name a stream of `posts` posts of the default seed is cached under (the bench and the profile script share it). */
export function streamFileName(posts: number): string {
  return `stream-${posts}-seed42-v${STREAM_VERSION}.jsonl`;
}

const hex4 = (unit: number): string => unit.toString(16).padStart(4, '0');

/**
 * JSON text as Twitter's streaming API wrote it (statuses/filter; see the captures in test/fixtures/real/twitter-v1,
 * e.g. ja-media.json): every UTF-16 unit outside ASCII as \uXXXX in lower-case hex (an emoji as its two surrogates),
 * "<" and ">" as \u003c and \u003e, "/" as "\/". A line is then ASCII however the text is written: the same
 * values as JSON.stringify's, in the bytes a collector receives.
 */
export function twitterJson(value: unknown): string {
  return JSON.stringify(value).replace(/[/<>\u0080-\uffff]/g, (c) => (c === '/' ? '\\/' : `\\u${hex4(c.charCodeAt(0))}`));
}

/** Generates `count` lines of the stream; the same options always give the same lines. */
export function* generateStream(count: number, options: StreamOptions = {}): Generator<string> {
  const rand = prng(options.seed ?? 42);
  const words = vocabulary();
  const users = options.users ?? 50_000;
  const start = options.start ?? Date.UTC(2012, 9, 29, 12, 0, 0);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  // Zipf-like: low ranks (crisis terms) are frequent, as real text is.
  const word = (): string => words[Math.min(words.length - 1, Math.floor(words.length * rand() ** 3.2))];
  const idBase = 262_000_000_000_000_000n;

  const user = (n: number): Record<string, unknown> => {
    const r = prng(n + 1);
    const name = `user${n}`;
    return {
      id: 100_000 + n,
      id_str: String(100_000 + n),
      name: `User ${n}`,
      screen_name: name,
      location: pick(['New York, NY', 'Hoboken, NJ', 'Brooklyn', '', 'Earth']),
      url: r() < 0.3 ? `https://${name}.example.org` : null,
      description: Array.from({ length: 8 + Math.floor(r() * 12) }, () => words[Math.floor(r() * 400)]).join(' '),
      translator_type: 'none',
      protected: false,
      verified: r() < 0.02,
      followers_count: Math.floor(r() ** 4 * 200_000),
      friends_count: Math.floor(r() * 2000),
      listed_count: Math.floor(r() * 50),
      favourites_count: Math.floor(r() * 20_000),
      statuses_count: Math.floor(r() * 50_000),
      created_at: twitterDate(Date.UTC(2008, 0, 1) + Math.floor(r() * 4 * 365 * 86_400_000)),
      utc_offset: -18000,
      time_zone: 'Eastern Time (US & Canada)',
      geo_enabled: r() < 0.3,
      lang: 'en',
      contributors_enabled: false,
      is_translator: false,
      profile_background_color: 'C0DEED',
      profile_background_image_url: 'http://abs.twimg.com/images/themes/theme1/bg.png',
      profile_background_image_url_https: 'https://abs.twimg.com/images/themes/theme1/bg.png',
      profile_background_tile: false,
      profile_link_color: '1DA1F2',
      profile_sidebar_border_color: 'C0DEED',
      profile_sidebar_fill_color: 'DDEEF6',
      profile_text_color: '333333',
      profile_use_background_image: true,
      profile_image_url: `http://pbs.twimg.com/profile_images/${n}/photo_normal.jpg`,
      profile_image_url_https: `https://pbs.twimg.com/profile_images/${n}/photo_normal.jpg`,
      profile_banner_url: `https://pbs.twimg.com/profile_banners/${n}/1351000000`,
      default_profile: true,
      default_profile_image: false,
      following: null,
      follow_request_sent: null,
      notifications: null,
    };
  };

  const post = (i: number, ms: number): Record<string, unknown> => {
    const n = Math.floor(rand() ** 2 * users);
    const len = 6 + Math.floor(rand() * 30);
    const text: string[] = [];
    const hashtags: { text: string; indices: number[] }[] = [];
    const mentions: Record<string, unknown>[] = [];
    for (let k = 0; k < len; k++) text.push(word());
    const nTags = Math.floor(rand() * 3);
    for (let k = 0; k < nTags; k++) {
      const t = word();
      hashtags.push({ text: t, indices: [0, t.length + 1] });
      text.push(`#${t}`);
    }
    if (rand() < 0.4) {
      const m = Math.floor(rand() * users);
      mentions.push({ screen_name: `user${m}`, name: `User ${m}`, id: 100_000 + m, id_str: String(100_000 + m), indices: [0, 5] });
      text.unshift(`@user${m}`);
    }
    const urls =
      rand() < 0.35
        ? [
            {
              url: 'https://t.co/xYz123AbC',
              expanded_url: `https://www.${pick(DOMAINS)}/${word()}/${i}`,
              display_url: `${pick(DOMAINS)}/${word()}/…`,
              indices: [0, 23],
            },
          ]
        : [];
    const full = text.join(' ').slice(0, 280);
    const entities = { hashtags, urls, user_mentions: mentions, symbols: [] };
    const id = idBase + BigInt(i);
    const geo = rand() < 0.02 ? [-74 + rand(), 40.5 + rand()] : null;
    return {
      created_at: twitterDate(ms),
      id: Number(id),
      id_str: String(id),
      text: full.length > 140 ? `${full.slice(0, 139)}…` : full,
      display_text_range: [0, Math.min(140, full.length)],
      source: pick(SOURCES),
      truncated: full.length > 140,
      in_reply_to_status_id: null,
      in_reply_to_status_id_str: null,
      in_reply_to_user_id: null,
      in_reply_to_user_id_str: null,
      in_reply_to_screen_name: null,
      user: user(n),
      geo: geo ? { type: 'Point', coordinates: [geo[1], geo[0]] } : null,
      coordinates: geo ? { type: 'Point', coordinates: geo } : null,
      place: null,
      contributors: null,
      is_quote_status: false,
      ...(full.length > 140 ? { extended_tweet: { full_text: full, display_text_range: [0, full.length], entities } } : {}),
      quote_count: 0,
      reply_count: Math.floor(rand() * 5),
      retweet_count: Math.floor(rand() ** 6 * 5000),
      favorite_count: Math.floor(rand() ** 6 * 8000),
      entities,
      favorited: false,
      retweeted: false,
      filter_level: 'low',
      lang: pick(LANGS),
      timestamp_ms: String(ms),
    };
  };

  for (let i = 0; i < count; i++) {
    const ms = start + i * 10;
    if (rand() < 0.3) {
      const original = post(i + 1_000_000_000, ms - Math.floor(rand() * 3_600_000));
      const rt = post(i, ms);
      const origUser = original.user as { screen_name: string };
      const origText = ((original.extended_tweet as { full_text?: string } | undefined)?.full_text ?? original.text) as string;
      const rtText = `RT @${origUser.screen_name}: ${origText}`;
      yield twitterJson({
        ...rt,
        text: rtText.length > 140 ? `${rtText.slice(0, 139)}…` : rtText,
        extended_tweet: undefined,
        truncated: false,
        entities: { ...(original.entities as object), user_mentions: [{ screen_name: origUser.screen_name, name: 'x', id_str: '1', indices: [3, 10] }] },
        retweeted_status: original,
      });
    } else yield twitterJson(post(i, ms));
  }
}

/**
 * Events of `keywordsEach` keywords, deterministic. The first ten are broad crises (one frequent crisis term each,
 * matching a large share of posts, as the events a tracker is following do); every event also has specific words
 * from the vocabulary's long tail and one two-word phrase, so adding events adds a little to the matches of each
 * post instead of multiplying them.
 */
export function benchmarkEvents(count: number, keywordsEach = 5, seed = 1): { name: string; keywords: string[]; active: boolean }[] {
  const rand = prng(seed);
  const words = vocabulary();
  const tail = (): string => words[5000 + Math.floor(rand() * (words.length - 5000))];
  const mid = (): string => words[200 + Math.floor(rand() * 4800)];
  return Array.from({ length: count }, (_, i) => ({
    name: `event ${i}`,
    keywords: Array.from({ length: keywordsEach }, (_, k) => {
      if (k === 0 && i < 10) return CRISIS_TERMS[i];
      if (k === keywordsEach - 1) return `${mid()} ${mid()}`;
      return tail();
    }),
    active: true,
  }));
}

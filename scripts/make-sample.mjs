#!/usr/bin/env node
// Writes examples/sandy-sample.jsonl: a small, deterministic Twitter v1.1 archive for trying Vigil out.
import { writeFileSync } from 'node:fs';

const texts = [
  ['Hurricane Sandy is making landfall near Atlantic City. Stay safe everyone! #Sandy', ['Sandy'], []],
  ['Flooding on the FDR Drive right now, unbelievable', [], []],
  ['Mandatory evacuation for Zone A in New York City. Please leave now. @NYCMayorsOffice', [], ['NYCMayorsOffice']],
  ['Power is out in lower Manhattan #sandy #nyc', ['sandy', 'nyc'], []],
  ['Apply for disaster assistance at https://t.co/abc', [], [], 'https://www.disasterassistance.gov/'],
  ['Thinking of everyone on the east coast tonight', [], []],
  ['Subway tunnels flooded, MTA says service suspended #SandyNYC', ['SandyNYC'], ['MTA']],
  ['Just a normal day here in Denver, sunny', [], []],
  ['"Sandy" took our boardwalk. Heartbreaking.', [], []],
  ['FEMA update: shelters open across NJ https://t.co/def', [], ['fema'], 'https://www.fema.gov/sandy'],
];
const users = ['nycwx', 'jerseygirl', 'mta_fan', 'stormchaser', 'ems_nyc', 'denverdan'];
const start = Date.UTC(2012, 9, 29, 20, 0, 0);
const lines = [];
for (let i = 0; i < 60; i++) {
  const [text, tags, mentions, url] = texts[i % texts.length];
  const at = new Date(start + i * 47_000);
  const created = at.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 +0000 $4');
  const user = users[i % users.length];
  const t = {
    created_at: created,
    id: 262000000000000000 + i,
    id_str: String(262000000000000000n + BigInt(i)),
    text,
    user: {
      id_str: String(1000 + (i % users.length)),
      screen_name: user,
      name: user.toUpperCase(),
      followers_count: 100 + i,
      friends_count: 50,
      statuses_count: 1000 + i,
      favourites_count: 3,
      listed_count: 1,
      created_at: 'Mon Jan 05 10:00:00 +0000 2009',
      location: 'New York',
      description: 'sample account',
      geo_enabled: false,
      lang: 'en',
      time_zone: null,
      utc_offset: null,
      url: null,
    },
    entities: {
      hashtags: tags.map((h) => ({ text: h, indices: [0, 0] })),
      user_mentions: mentions.map((m, k) => ({ screen_name: m, name: m, id_str: String(5000 + k), indices: [0, 0] })),
      urls: url ? [{ url: 'https://t.co/abc', expanded_url: url, display_url: url.replace(/^https:\/\//, '').slice(0, 24) }] : [],
    },
    retweet_count: i % 7,
    favorite_count: i % 5,
    favorited: false,
    retweeted: false,
    lang: 'en',
    coordinates: null,
    geo: null,
  };
  lines.push(
    JSON.stringify(i % 6 === 5 ? { ...t, id_str: String(262000000000001000n + BigInt(i)), text: `RT @${users[0]}: ${text}`, retweeted_status: t } : t),
  );
  if (i === 30) lines.push('{"limit":{"track":12,"timestamp_ms":"1351540800000"}}');
  if (i === 40) lines.push('{"this line was cut off by a crash');
}
writeFileSync(new URL('../examples/sandy-sample.jsonl', import.meta.url), `${lines.join('\n')}\n`);

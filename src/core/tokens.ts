// How a post is cut into the tokens that keyword terms are matched against (Twitter `track` semantics).

/** What of a post counts for matching: its full text(s) and entities (own, retweeted and quoted). */
export interface PostFeatures {
  texts: string[];
  hashtags: string[];
  mentions: string[];
  urls: string[];
  /** The author's ids and handles (for account targets). */
  authors?: string[];
  /** Ids of the accounts mentioned or replied to (their handles are in `mentions`). */
  mentionIds?: string[];
  /** The post's own coordinates, [longitude, latitude]. */
  point?: [number, number] | null;
  /** The bounding box of the post's place, [west, south, east, north]. */
  placeBox?: [number, number, number, number] | null;
  /** The language the platform detected (BCP 47 / ISO 639-1). */
  lang?: string | null;
  /** Every language the author declared (Bluesky's `langs`), when there may be several. */
  langs?: string[];
}

/** A character above U+007F (a surrogate too): text without one is ASCII, which NFKC leaves as it is. */
const NON_ASCII = /[\u0080-\uffff]/;

/** Case-folds the way matching compares: Unicode NFKC, then lower case (ASCII text skips the normalization, a no-op for it). */
export function fold(s: string): string {
  return NON_ASCII.test(s) ? s.normalize('NFKC').toLowerCase() : s.toLowerCase();
}

const EDGE_PUNCT = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
// Inside a word only these join it (fema.gov, don't, co-op, a_b, AT&T); anything else separates words.
const INNER_SEPARATOR = /[^\p{L}\p{N}\p{M}.'’\-_&#@]+/u;
/** Scripts written without spaces between words: there a term matches as a substring. */
export const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

export function stripEdges(s: string): string {
  return s.replace(EDGE_PUNCT, '');
}

/**
 * One pictograph with what modifies it (skin tone, variation selector, keycap, a ZWJ sequence), or a flag: each is a
 * token of its own, as X's rules match emoji, wherever it stands (`safe🙏🌀` is `safe`, `🙏`, `🌀`).
 */
const EMOJI = /\p{RI}\p{RI}|\p{Extended_Pictographic}(?:\p{EMod}|\uFE0F|\u20E3)*(?:\u200D\p{Extended_Pictographic}(?:\p{EMod}|\uFE0F)*)*/gu;
const EMOJI_DRESS = /\p{EMod}|\uFE0F|\u20E3/gu;

/** Below U+00A9 (©, the first pictograph) nothing is an emoji: most words are skipped with one cheap test. */
const MAY_HOLD_EMOJI = /[\u00a9-\u{10ffff}]/u;

/** The emoji tokens of a chunk: each sequence as written, and (when dressed) its bare pictographs. */
export function emojiTokens(chunk: string, add: (token: string) => void): void {
  if (!MAY_HOLD_EMOJI.test(chunk)) return;
  for (const m of chunk.matchAll(EMOJI)) {
    const bare = m[0].replace(EMOJI_DRESS, '');
    add(bare);
    if (bare !== m[0]) add(m[0]);
    if (bare.includes('\u200D')) for (const p of bare.split('\u200D')) if (p !== '') add(p);
  }
}

/** A keyword term's parts: each emoji of it a term of its own (without variation selectors), and the rest. */
export function termParts(term: string): string[] {
  const emoji = [...term.matchAll(EMOJI)].map((m) => m[0].replace(/\uFE0F/gu, ''));
  const rest = term.replace(EMOJI, ' ').trim();
  return [...emoji, ...(rest === '' ? [] : rest.split(/\s+/u))];
}

/** A chunk of ASCII letters and digits only: no emoji, no link, nothing to split or strip. */
const PLAIN_WORD = /^[a-z0-9]+$/u;

/** Whether a chunk of text is a link: with a scheme, `www.`, or a host name followed by a path (`bit.ly/5tnldp`). */
const URL_IN_TEXT = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)|^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[\p{L}]{2,}\/\S/u;

/**
 * Adds a text chunk's tokens: the chunk without surrounding punctuation (`"Flood."` → `flood`), and for a chunk that
 * starts with `#` or `@` also that prefixed form, so a term `#sandy` can ask for the hashtag only. A link written in
 * the text is a link (its host and path, as a URL entity gives them: a 2009 post has no entities), never words:
 * Twitter does not match `twitter` in `http://www.twitter.com`.
 */
function addChunk(chunk: string, add: (token: string) => void): void {
  // Most chunks are plain (folded) words: the rules below would give the chunk itself, so it is taken as it is.
  if (PLAIN_WORD.test(chunk)) {
    add(chunk);
    return;
  }
  emojiTokens(chunk, add);
  const words = MAY_HOLD_EMOJI.test(chunk) ? chunk.replace(EMOJI, ' ') : chunk;
  if (URL_IN_TEXT.test(words.trim())) {
    urlTokens(words.trim().replace(/[.,;:!?)\]"'’]+$/u, ''), add);
    return;
  }
  for (const part of words.split(INNER_SEPARATOR)) {
    const word = stripEdges(part);
    if (word === '') continue;
    add(word);
    const lead = part.replace(/^[^\p{L}\p{N}#@]+/u, '')[0];
    if (lead === '#' || lead === '@') add(lead + word);
  }
}

/** Tokens a URL offers: without scheme, its host with and without `www.`, and the host's parent domains. */
export function urlTokens(url: string, add: (token: string) => void): void {
  let u = fold(url.trim())
    .replace(/^[a-z][a-z0-9+.-]*:\/\//u, '')
    .replace(/[/?#]+$/u, '');
  if (u === '') return;
  if (u.endsWith('…')) u = u.slice(0, -1);
  add(u);
  const noWww = u.replace(/^www\d*\./u, '');
  add(noWww);
  const host = noWww.split(/[/?#:]/u)[0] ?? '';
  const labels = host.split('.').filter((l) => l !== '');
  for (let i = 0; i + 2 <= labels.length; i++) add(labels.slice(i).join('.'));
}

export type MatchField = 'hashtag' | 'mention' | 'url' | 'text';

/** Field bits of a token, most specific first: where a matched term is reported to have been found. */
export const MATCH_FIELDS: readonly [MatchField, number][] = [
  ['hashtag', 1],
  ['mention', 2],
  ['url', 4],
  ['text', 8],
];

/**
 * Calls `add` with every whole token of a post that a keyword term can equal (already case-folded) and the bit of the
 * field it occurs in (MATCH_FIELDS); a token found in several fields, or twice, comes as often. The matcher looks
 * each up in its terms as it comes: a map of every token of the post, built first, took three look-ups per token.
 */
export function eachPostToken(f: PostFeatures, add: (token: string, bit: number) => void): void {
  const text = (t: string): void => add(t, 8);
  for (const t of f.texts) for (const chunk of fold(t).split(/\s+/u)) if (chunk !== '') addChunk(chunk, text);
  for (const h of f.hashtags) {
    const t = fold(h);
    add(t, 1);
    add(`#${t}`, 1);
  }
  for (const m of f.mentions) {
    const t = fold(m);
    add(t, 2);
    add(`@${t}`, 2);
  }
  const url = (t: string): void => add(t, 4);
  for (const u of f.urls) urlTokens(u, url);
}

/** Every whole token of a post (eachPostToken), each with the bits of the fields it occurs in. */
export function postTokens(f: PostFeatures): Map<string, number> {
  const out = new Map<string, number>();
  eachPostToken(f, (t, bit) => out.set(t, (out.get(t) ?? 0) | bit));
  return out;
}

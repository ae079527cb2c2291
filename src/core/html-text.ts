// HTML (Mastodon's `content`) to plain text for matching and storage: paragraphs and line breaks become newlines,
// tags go, entities are decoded. Not a sanitizer: the UI renders stored text as text.

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8}|#39);/giu, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/giu, '\n')
    .replace(/<\/p>\s*<p[^>]*>/giu, '\n\n')
    .replace(/<[^>]*>/gu, '');
  return decodeEntities(text).trim();
}

const TWEET_ESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * X's text (v1.1 `text`/`full_text`, v2 `text`) escapes exactly `&`, `<` and `>`; decodes those three and nothing else
 * (a post that says `&quot;` said it), in one pass so `&amp;lt;` stays `&lt;`.
 */
export function unescapeTweetText(s: string): string {
  return s.replace(/&(?:amp|lt|gt);/gu, (m) => TWEET_ESCAPES[m] ?? m);
}

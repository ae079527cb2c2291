// How a time is written for people, everywhere (pages, summaries, messages): one format, in UTC, saying so.

/** `2012-10-29 12:00:00 UTC`; an unreadable time is returned as it came. */
export function utcText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

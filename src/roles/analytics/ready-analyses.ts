// The ready analyses behind the UI's event cards and event page (volume, top hashtags, words, users …), run on the
// query engine with Vigil's own SQL (one definition per analysis for both dialects, in core/analyses.ts).

import {
  type Bucket,
  collectedPerMinuteSql,
  DIALECTS,
  eventCountSql,
  keywordHoursSql,
  languagesSql,
  overviewSql,
  RISING_HOURS,
  retweetShareSql,
  risingTermsSql,
  risingWindowSql,
  type Sql,
  tailSql,
  topDomainsSql,
  topHashtagsSql,
  topMentionsSql,
  topUrlsSql,
  topUsersSql,
  topWordsSql,
  volumeNote,
  volumeSql,
  zeroFilledVolume,
} from '../../core/analyses.js';
import type { QueryEngine } from '../../core/ports.js';
import { type EventMap, readEventMap } from './event-map.js';

export interface EventLive {
  count: number;
  lastPost: string | null;
  lastCollected: string | null;
  /** Rows stored in each of the last 60 minutes, oldest first. */
  perMinute: number[];
}

export interface EventSummary {
  event: string;
  bucket: Bucket;
  volume: { bucket: string; n: number }[];
  /** Why the volume's silent buckets are not shown (an axis too long to fill), or null. */
  volumeNote: string | null;
  hashtags: { hashtag: string; n: number }[];
  words: { word: string; n: number }[];
  users: { user: string; n: number }[];
  mentions: { user: string; n: number }[];
  urls: { url: string; n: number }[];
  domains: { domain: string; n: number }[];
  languages: { lang: string; n: number }[];
  posts: number;
  retweets: number;
  /** Distinct authors (handle, else account id); `users` lists the top 20 only. */
  distinctUsers: number;
}

export interface KeywordFeedback {
  event: string;
  posts: number;
  keywords: { keyword: string; posts: number; share: number; perHour: { hour: string; n: number }[] }[];
  suggestions: { kind: 'hashtag' | 'word'; term: string; recent: number; before: number; score: number }[];
}

export class ReadyAnalyses {
  private readonly q: Sql;
  private readonly now: () => Date;
  private readonly limits: { maxRows: number; timeoutMs: number };

  private readonly countTerms: () => Promise<void>;

  /**
   * `timeoutMs` bounds each query of a page (60 s unless given); `now` is the clock of the live figures;
   * `countTerms` brings the store's term counts up to date before an event page's top lists sum them.
   */
  constructor(
    private readonly engine: QueryEngine,
    options: { now?: () => Date; timeoutMs?: number; countTerms?: () => Promise<void> } = {},
  ) {
    this.q = DIALECTS[engine.dialect];
    this.countTerms = options.countTerms ?? (() => Promise.resolve());
    this.now = options.now ?? (() => new Date());
    this.limits = { maxRows: 100_000, timeoutMs: options.timeoutMs ?? 60_000 };
  }

  private async rows<T>(sql: string): Promise<T[]> {
    return (await this.engine.query(sql, this.limits)).rows as T[];
  }

  /** Live figures of every event that has rows, for the events page. */
  async overview(): Promise<Record<string, EventLive>> {
    const now = this.now();
    const startMinute = Math.floor(now.getTime() / 60_000) * 60_000 - 59 * 60_000;
    const [totals, minutes] = await Promise.all([
      this.rows<{ event_name: string; n: number; last_post: string | null; last_collected: string | null }>(overviewSql(this.q)),
      this.rows<{ event_name: string; minute: string; n: number }>(collectedPerMinuteSql(this.q, new Date(startMinute).toISOString())),
    ]);
    const out: Record<string, EventLive> = {};
    for (const t of totals)
      out[t.event_name] = { count: t.n, lastPost: t.last_post, lastCollected: t.last_collected, perMinute: new Array<number>(60).fill(0) };
    for (const m of minutes) {
      const i = Math.round((Date.parse(m.minute) - startMinute) / 60_000);
      const live = out[m.event_name];
      if (live && i >= 0 && i < 60) live.perMinute[i] = m.n;
    }
    return out;
  }

  async summary(event: string, bucket: Bucket): Promise<EventSummary> {
    await this.countTerms();
    const [volume, hashtags, words, users, mentions, urls, domains, languages, share] = await Promise.all([
      this.rows<{ bucket: string; n: number }>(volumeSql(this.q, event, bucket)),
      this.rows<{ hashtag: string; n: number }>(topHashtagsSql(this.q, event)),
      this.rows<{ word: string; n: number }>(topWordsSql(this.q, event)),
      this.rows<{ user: string; n: number }>(topUsersSql(this.q, event)),
      this.rows<{ user: string; n: number }>(topMentionsSql(this.q, event)),
      this.rows<{ url: string; n: number }>(topUrlsSql(this.q, event)),
      this.rows<{ domain: string; n: number }>(topDomainsSql(this.q, event)),
      this.rows<{ lang: string; n: number }>(languagesSql(this.q, event)),
      this.rows<{ posts: number; retweets: number | null; users: number }>(retweetShareSql(this.q, event)),
    ]);
    return {
      event,
      bucket,
      volume: zeroFilledVolume(volume, bucket),
      volumeNote: volumeNote(volume, bucket),
      hashtags,
      words,
      users,
      mentions,
      urls,
      domains,
      languages,
      posts: share[0]?.posts ?? 0,
      retweets: share[0]?.retweets ?? 0,
      distinctUsers: share[0]?.users ?? 0,
    };
  }

  /**
   * Keyword feedback: per keyword its posts, share of the event's posts and posts per hour; and terms rising in the
   * event's latest posts that are not keywords yet, to add with one click.
   */
  async keywords(event: string, current: readonly string[]): Promise<KeywordFeedback> {
    // Read from the counts like the page's top lists (the views would otherwise count an import's rows on every read).
    await this.countTerms();
    const [hours, rising, count] = await Promise.all([
      this.rows<{ keyword: string; hour: string; n: number }>(keywordHoursSql(this.q, event)),
      this.risingTerms(event),
      this.rows<{ n: number }>(eventCountSql(this.q, event)),
    ]);
    const total = count[0]?.n ?? 0;
    const byKeyword = new Map<string, KeywordFeedback['keywords'][number]>();
    for (const k of current) byKeyword.set(k.toLowerCase(), { keyword: k, posts: 0, share: 0, perHour: [] });
    for (const h of hours) {
      const k = byKeyword.get(h.keyword.toLowerCase()) ?? { keyword: h.keyword, posts: 0, share: 0, perHour: [] };
      k.posts += h.n;
      k.perHour.push({ hour: h.hour, n: h.n });
      byKeyword.set(h.keyword.toLowerCase(), k);
    }
    for (const k of byKeyword.values()) k.share = total > 0 ? Math.round((k.posts / total) * 1000) / 1000 : 0;
    const have = new Set(current.map((k) => k.toLowerCase()));
    const suggestions = rising.filter((r) => !have.has(r.term) && !have.has(r.term.replace(/^#/u, ''))).slice(0, 15);
    return { event, posts: total, keywords: [...byKeyword.values()].sort((a, b) => b.posts - a.posts), suggestions };
  }

  /** The rising terms: the windows' end read first, so the engine filters the periods' scan with a constant. */
  private async risingTerms(event: string) {
    const [window] = await this.rows<{ upto: string | null }>(risingWindowSql(this.q, event));
    if (!window?.upto) return [];
    const sql = risingTermsSql(this.q, event, RISING_HOURS.recent, RISING_HOURS.baseline, undefined, undefined, window.upto);
    return this.rows<{ kind: 'hashtag' | 'word'; term: string; recent: number; before: number; score: number }>(sql);
  }

  tail(event: string, limit: number): Promise<Record<string, unknown>[]> {
    return this.rows(tailSql(this.q, event, limit));
  }

  /** The event's geotagged posts for its map: the newest `limit` with a position (core of it in event-map.ts). */
  geo(event: string, limit: number): Promise<EventMap> {
    return readEventMap((sql) => this.rows(sql), this.q, event, limit);
  }
}

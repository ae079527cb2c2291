// Keyword matcher with Twitter `track` semantics, compiled once for all active events.
//
// A phrase matches when every one of its space-separated terms occurs in the post, in any order, ignoring case; an
// event matches when any of its phrases does. Terms are looked up in one index over all events (a hash of whole
// tokens, plus an Aho–Corasick automaton for terms in scripts written without spaces), so one pass over a post
// serves every event: 1,000 events cost little more than 10.

import { AhoCorasick } from './aho-corasick.js';
import type { VigilEvent } from './event.js';
import { fold, postTokens, stripEdges, UNSPACED_SCRIPT, type PostFeatures } from './tokens.js';

export interface EventMatch {
  event: string;
  /** The event's phrases that matched, in the event's own order and spelling. */
  keywords: string[];
}

interface Phrase {
  event: number;
  keyword: string;
  order: number;
  terms: number[];
}

/** The form a keyword term is compared in; `#tag` and `@name` keep their prefix to ask for that entity only. */
export function normalizeTerm(term: string): string {
  const t = fold(term);
  const lead = t[0];
  if (lead === '#' || lead === '@') {
    const rest = stripEdges(t.slice(1));
    return rest === '' ? t : lead + rest;
  }
  const stripped = stripEdges(t);
  return stripped === '' ? t : stripped;
}

export class Matcher {
  readonly events: readonly string[];
  private readonly phrases: Phrase[] = [];
  private readonly termIds = new Map<string, number>();
  private readonly termPhrases: number[][] = [];
  /** Term id by whole token. */
  private readonly tokenTerms = new Map<string, number>();
  private readonly substringTerms: number[] = [];
  private readonly automaton: AhoCorasick;
  private readonly seen: Uint32Array;
  private readonly phraseStamp: Uint32Array;
  private generation = 0;

  /** Only active events take part. */
  constructor(events: readonly Pick<VigilEvent, 'name' | 'keywords' | 'active'>[]) {
    const active = events.filter((e) => e.active);
    this.events = active.map((e) => e.name);
    const substringPatterns: string[] = [];
    active.forEach((e, ei) => {
      e.keywords.forEach((keyword, order) => {
        const terms = [...new Set(keyword.split(/\s+/u).filter((t) => t !== '').map(normalizeTerm))];
        if (terms.length === 0) return;
        const ids = terms.map((term) => this.termId(term, substringPatterns));
        const pi = this.phrases.length;
        this.phrases.push({ event: ei, keyword, order, terms: ids });
        for (const id of ids) this.termPhrases[id].push(pi);
      });
    });
    this.automaton = new AhoCorasick(substringPatterns);
    this.seen = new Uint32Array(this.termIds.size);
    this.phraseStamp = new Uint32Array(this.phrases.length);
  }

  get phraseCount(): number {
    return this.phrases.length;
  }

  get termCount(): number {
    return this.termIds.size;
  }

  private termId(term: string, substringPatterns: string[]): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.termIds.size;
    this.termIds.set(term, id);
    this.termPhrases.push([]);
    if (UNSPACED_SCRIPT.test(term)) {
      this.substringTerms[substringPatterns.length] = id;
      substringPatterns.push(term);
    } else {
      this.tokenTerms.set(term, id);
    }
    return id;
  }

  /** The events a post belongs to, each with the phrases that matched; empty when none. */
  match(post: PostFeatures): EventMatch[] {
    if (this.phrases.length === 0) return [];
    const gen = this.nextGeneration();
    const found: number[] = [];
    const mark = (id: number): void => {
      if (this.seen[id] !== gen) {
        this.seen[id] = gen;
        found.push(id);
      }
    };
    for (const token of postTokens(post)) {
      const id = this.tokenTerms.get(token);
      if (id !== undefined) mark(id);
    }
    if (this.automaton.size > 0) {
      for (const text of post.texts) this.automaton.scan(fold(text), (p) => mark(this.substringTerms[p]));
    }
    const hits = new Map<number, Phrase[]>();
    for (const id of found) {
      for (const pi of this.termPhrases[id]) {
        if (this.phraseStamp[pi] === gen) continue;
        this.phraseStamp[pi] = gen;
        const phrase = this.phrases[pi];
        if (!phrase.terms.every((t) => this.seen[t] === gen)) continue;
        const list = hits.get(phrase.event);
        if (list) list.push(phrase);
        else hits.set(phrase.event, [phrase]);
      }
    }
    return [...hits.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([ei, ps]) => ({ event: this.events[ei], keywords: ps.sort((a, b) => a.order - b.order).map((p) => p.keyword) }));
  }

  private nextGeneration(): number {
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.phraseStamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

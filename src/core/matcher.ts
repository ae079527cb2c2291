// Keyword matcher with Twitter `track` semantics, compiled once for all active events.
//
// A phrase matches when every one of its space-separated terms occurs in the post, in any order, ignoring case; an
// event matches when any of its phrases does. Terms are looked up in one index over all events (a hash of whole
// tokens, plus an Aho–Corasick automaton for terms in scripts written without spaces), so one pass over a post
// serves every event: 1,000 events cost little more than 10.

import { AhoCorasick } from './aho-corasick.js';
import type { VigilEvent } from './event.js';
import { eventIdOf } from './event-id.js';
import { TargetIndex } from './targets.js';
import { eachPostToken, fold, MATCH_FIELDS, type MatchField, type PostFeatures, stripEdges, termParts, UNSPACED_SCRIPT } from './tokens.js';

export interface EventMatch {
  event: string;
  /** The event's identity (see event-id.ts). */
  eventId: string;
  /** The event's phrases that matched, in the event's own order and spelling. */
  keywords: string[];
  /** Every target that matched: `keyword:<phrase>`, `account:<id or handle>`, `box:<w,s,e,n>`. */
  targets: string[];
  /** Where each target matched (same order): hashtag, mention, url, text (`text+hashtag` when terms were in both), author, coordinates, place. */
  fields: string[];
}

interface Phrase {
  event: number;
  keyword: string;
  /** `keyword:<phrase>`, the phrase's match target. */
  target: string;
  order: number;
  terms: number[];
}

/** The most specific field of a term's field bits (MATCH_FIELDS' order); `text` when none is told. */
function fieldOf(bits: number): MatchField {
  for (const [field, bit] of MATCH_FIELDS) if ((bits & bit) !== 0) return field;
  return 'text';
}

/** Where a phrase's terms were found (the bits of the fields each occurred in), the most specific field of each term. */
function phraseField(terms: readonly number[], termBits: Uint8Array): string {
  if (terms.length === 1) return fieldOf(termBits[terms[0]]);
  const found = new Set<MatchField>();
  for (const t of terms) found.add(fieldOf(termBits[t]));
  return [...found].join('+');
}

/** The form a keyword term is compared in; `#tag` and `@name` keep their prefix to ask for that entity only. */
export function normalizeTerm(term: string): string {
  const t = fold(term).replace(/^https?:\/\//u, '');
  const lead = t[0];
  if (lead === '#' || lead === '@') {
    const rest = stripEdges(t.slice(1));
    return rest === '' ? t : lead + rest;
  }
  const stripped = stripEdges(t);
  return stripped === '' ? t : stripped;
}

/**
 * A phrase's terms as compared, remembered: the matcher is built again on every change of the events (each one
 * published as the whole state), and with 1,000 events folding their keywords took most of each build.
 */
const knownPhrases = new Map<string, readonly string[]>();
const KNOWN_PHRASES_MAX = 100_000;

function phraseTerms(keyword: string): readonly string[] {
  let terms = knownPhrases.get(keyword);
  if (terms === undefined) {
    terms = [
      ...new Set(
        keyword
          .split(/\s+/u)
          .flatMap(termParts)
          .filter((t) => t !== '')
          .map(normalizeTerm),
      ),
    ];
    if (knownPhrases.size >= KNOWN_PHRASES_MAX) knownPhrases.clear();
    knownPhrases.set(keyword, terms);
  }
  return terms;
}

/**
 * The term a phrase is looked up by. A phrase matches only when all its terms are found, so one of them is enough to
 * reach it, and each phrase is then looked at once per post. The longest term is taken: long words are the rarer ones,
 * so a phrase of a common and a rare word is looked at only in the posts that hold the rare one.
 */
function keyTerm(terms: readonly string[], ids: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < terms.length; i++) if (terms[i].length > terms[best].length) best = i;
  return ids[best];
}

/** Whether every term was found in the post of generation `gen`. */
function allSeen(terms: readonly number[], seen: Uint32Array, gen: number): boolean {
  for (const t of terms) if (seen[t] !== gen) return false;
  return true;
}

export class Matcher {
  readonly events: readonly string[];
  private readonly eventIds: readonly string[];
  private readonly phrases: Phrase[] = [];
  private readonly termIds = new Map<string, number>();
  /** The phrases looked at when a term is found: each phrase under one of its terms only (see keyTerm). */
  private readonly termPhrases: number[][] = [];
  /** Term id by whole token. */
  private readonly tokenTerms = new Map<string, number>();
  private readonly substringTerms: number[] = [];
  /** Term id of a substring term by its text: found in the text by the automaton, its field told by whole tokens. */
  private readonly substringTermIds = new Map<string, number>();
  private readonly automaton: AhoCorasick;
  /** Per term: the generation (post) it was last found in; the one its field bits are of, and those bits. */
  private readonly seen: Uint32Array;
  private readonly bitsSeen: Uint32Array;
  private readonly termBits: Uint8Array;
  /** The terms found in the current post. */
  private readonly found: number[] = [];
  private generation = 0;
  /** A post's token, looked up among the terms (one function for every post: none is made per post). */
  private readonly addToken = (token: string, bit: number): void => {
    const id = this.tokenTerms.get(token);
    if (id !== undefined) this.mark(id, bit);
    else if (this.substringTermIds.size > 0) {
      const sub = this.substringTermIds.get(token);
      if (sub !== undefined) this.addBits(sub, bit);
    }
  };
  private readonly targets: TargetIndex;

  /** Only active events take part. An event without an id (an events file) is known by the id its name gives. */
  constructor(events: readonly (Pick<VigilEvent, 'name' | 'keywords' | 'active' | 'accounts' | 'boxes' | 'languages'> & { id?: string })[]) {
    const active = events.filter((e) => e.active);
    this.events = active.map((e) => e.name);
    this.eventIds = active.map(eventIdOf);
    this.targets = new TargetIndex(active);
    const substringPatterns: string[] = [];
    active.forEach((e, ei) => {
      e.keywords.forEach((keyword, order) => {
        const terms = phraseTerms(keyword);
        if (terms.length === 0) return;
        const ids = terms.map((term) => this.termId(term, substringPatterns));
        const pi = this.phrases.length;
        this.phrases.push({ event: ei, keyword, target: `keyword:${keyword}`, order, terms: ids });
        this.termPhrases[keyTerm(terms, ids)].push(pi);
      });
    });
    this.automaton = new AhoCorasick(substringPatterns);
    this.seen = new Uint32Array(this.termIds.size);
    this.bitsSeen = new Uint32Array(this.termIds.size);
    this.termBits = new Uint8Array(this.termIds.size);
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
      this.substringTermIds.set(term, id);
      substringPatterns.push(term);
    } else {
      this.tokenTerms.set(term, id);
    }
    return id;
  }

  /** The events a post belongs to, each with the phrases that matched; empty when none. */
  match(post: PostFeatures): EventMatch[] {
    const keywordHits = this.matchKeywords(post);
    const targetHits = this.targets.hits(post);
    if (keywordHits.size === 0 && targetHits.size === 0) return [];
    const eventIndexes = new Set(keywordHits.keys());
    for (const ei of targetHits.keys()) eventIndexes.add(ei);
    const out: EventMatch[] = [];
    // Loops rather than spreads of lists that may be empty literals: fewer shapes for the optimizing compiler to
    // meet one by one (each new one threw this code's compiled version away).
    for (const ei of [...eventIndexes].sort((a, b) => a - b)) {
      if (!this.targets.accepts(ei, post)) continue;
      const m: EventMatch = { event: this.events[ei], eventId: this.eventIds[ei], keywords: [], targets: [], fields: [] };
      const phrases = keywordHits.get(ei);
      if (phrases)
        for (const p of phrases.sort((a, b) => a.order - b.order)) {
          m.keywords.push(p.keyword);
          m.targets.push(p.target);
          m.fields.push(phraseField(p.terms, this.termBits));
        }
      for (const h of targetHits.get(ei) ?? []) {
        m.targets.push(h.target);
        m.fields.push(h.field);
      }
      out.push(m);
    }
    return out;
  }

  /** The phrases of a post, by event index; its terms' field bits are left in termBits. */
  private matchKeywords(post: PostFeatures): Map<number, Phrase[]> {
    const hits = new Map<number, Phrase[]>();
    if (this.phrases.length === 0) return hits;
    const gen = this.nextGeneration();
    this.found.length = 0;
    eachPostToken(post, this.addToken);
    if (this.automaton.size > 0) {
      // A substring term is found in the text; whole tokens equal to it (a hashtag) told its field above.
      for (const text of post.texts) this.automaton.scan(fold(text), (p) => this.mark(this.substringTerms[p], 0));
    }
    for (const id of this.found) {
      for (const pi of this.termPhrases[id]) {
        const phrase = this.phrases[pi];
        if (!allSeen(phrase.terms, this.seen, gen)) continue;
        const list = hits.get(phrase.event);
        if (list) list.push(phrase);
        else hits.set(phrase.event, [phrase]);
      }
    }
    return hits;
  }

  /** Term `id` is in the current post, in the field of `bit` (0: none to tell). */
  private mark(id: number, bit: number): void {
    if (this.seen[id] !== this.generation) {
      this.seen[id] = this.generation;
      this.found.push(id);
    }
    this.addBits(id, bit);
  }

  private addBits(id: number, bit: number): void {
    if (this.bitsSeen[id] !== this.generation) {
      this.bitsSeen[id] = this.generation;
      this.termBits[id] = bit;
    } else this.termBits[id] |= bit;
  }

  private nextGeneration(): number {
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.seen.fill(0);
      this.bitsSeen.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

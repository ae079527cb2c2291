// Targets beyond keywords: accounts (posts by, mentioning or replying to them), bounding boxes (posts with
// coordinates inside or a place overlapping), and languages (a filter on everything an event matched).
// Twitter v1.1 `follow`/`locations` semantics, applied locally whatever the source sent.

import { type Box, normalizeAccount, targetsOf, type VigilEvent } from './event.js';
import type { PostFeatures } from './tokens.js';

export interface TargetHit {
  /** `account:<id or handle>` or `box:<w,s,e,n>`. */
  target: string;
  /** author, mention, coordinates or place. */
  field: string;
}

export function boxLabel(b: Box): string {
  return `box:${b.join(',')}`;
}

function inside(p: [number, number], b: Box): boolean {
  return p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
}

function overlaps(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The primary subtag too: an event asking for `en` takes `en-GB`. */
function languageOk(wanted: ReadonlySet<string>, lang: string | null | undefined): boolean {
  if (wanted.size === 0) return true;
  if (!lang) return false;
  const l = lang.toLowerCase();
  return wanted.has(l) || wanted.has(l.split('-')[0]);
}

/** Account and box targets of the active events, indexed once; the language filter per event. */
export class TargetIndex {
  private readonly accounts = new Map<string, number[]>();
  private readonly boxes: { event: number; box: Box }[] = [];
  private readonly languages: ReadonlySet<string>[];

  /** `events` in the matcher's order (active events only). */
  constructor(events: readonly Pick<VigilEvent, 'accounts' | 'boxes' | 'languages'>[]) {
    this.languages = events.map((e) => new Set(targetsOf(e).languages));
    events.forEach((e, ei) => {
      const t = targetsOf(e);
      for (const a of t.accounts) {
        const key = normalizeAccount(a);
        const list = this.accounts.get(key);
        if (list) list.push(ei);
        else this.accounts.set(key, [ei]);
      }
      for (const box of t.boxes) this.boxes.push({ event: ei, box });
    });
  }

  get empty(): boolean {
    return this.accounts.size === 0 && this.boxes.length === 0;
  }

  /** Whether event `ei` takes a post in this language. */
  accepts(ei: number, post: PostFeatures): boolean {
    return (post.langs && post.langs.length > 0 ? post.langs : [post.lang]).some((l) => languageOk(this.languages[ei], l));
  }

  /** Account and box hits of a post, by event index. */
  hits(post: PostFeatures): Map<number, TargetHit[]> {
    const out = new Map<number, TargetHit[]>();
    if (this.empty) return out;
    const add = (ei: number, hit: TargetHit): void => {
      const list = out.get(ei);
      if (!list) out.set(ei, [hit]);
      else if (!list.some((h) => h.target === hit.target)) list.push(hit);
    };
    const look = (values: readonly string[] | undefined, field: string): void => {
      for (const v of values ?? []) {
        const key = normalizeAccount(v);
        for (const ei of this.accounts.get(key) ?? []) add(ei, { target: `account:${key}`, field });
      }
    };
    if (this.accounts.size > 0) {
      look(post.authors, 'author');
      look(post.mentions, 'mention');
      look(post.mentionIds, 'mention');
    }
    for (const { event, box } of this.boxes) {
      if (post.point) {
        if (inside(post.point, box)) add(event, { target: boxLabel(box), field: 'coordinates' });
      } else if (post.placeBox && overlaps(post.placeBox, box)) add(event, { target: boxLabel(box), field: 'place' });
    }
    return out;
  }
}

// X API v2 filtered-stream rules from the events: each active event's keywords OR'd into rules tagged with the event
// name (several when one would pass the rule length limit), and the difference between two rule sets, so only what
// changed is sent to the rules endpoint.

import { normalizeAccount, targetsOf, type VigilEvent } from './event.js';

export interface XRule {
  value: string;
  tag: string;
}

export interface ExistingRule extends XRule {
  id: string;
}

/** Rule length limit of the standard filtered stream. */
export const X_RULE_MAX_LENGTH = 512;

/** A keyword as a rule term: a phrase is quoted; #hashtags, @mentions and single words stand as they are. */
export function ruleTerm(keyword: string): string {
  const k = keyword.trim().replace(/"/gu, '');
  return /\s/u.test(k) ? `"${k}"` : k;
}

/** An account as rule terms: posts by it and mentioning it (a numeric id can only be `from:`). */
function accountTerms(account: string): string[] {
  const a = normalizeAccount(account);
  return /^\d+$/u.test(a) ? [`from:${a}`] : [`from:${a}`, `@${a}`];
}

/**
 * Each active event's keywords, accounts (`from:`/`@`) and boxes (`bounding_box:`) OR'd into rules tagged with its
 * name, several when one would pass the length limit; its languages AND'ed to each (`lang:`).
 */
export function rulesFor(
  events: readonly Pick<VigilEvent, 'name' | 'keywords' | 'active' | 'accounts' | 'boxes' | 'languages'>[],
  maxLength = X_RULE_MAX_LENGTH,
): XRule[] {
  const rules: XRule[] = [];
  for (const e of events.filter((x) => x.active)) {
    const t = targetsOf(e);
    const lang =
      t.languages.length === 0 ? '' : t.languages.length === 1 ? ` lang:${t.languages[0]}` : ` (${t.languages.map((l) => `lang:${l}`).join(' OR ')})`;
    const room = maxLength - lang.length;
    let terms: string[] = [];
    const flush = (): void => {
      if (terms.length > 0) rules.push({ value: `${terms.length === 1 && lang === '' ? terms[0] : `(${terms.join(' OR ')})`}${lang}`, tag: e.name });
      terms = [];
    };
    const all = [
      ...[...new Set(e.keywords.map((x) => x.toLowerCase()))].map(ruleTerm),
      ...t.accounts.flatMap(accountTerms),
      ...t.boxes.map((b) => `bounding_box:[${b.join(' ')}]`),
    ];
    for (const k of all) {
      const next = [...terms, k];
      if (terms.length > 0 && `(${next.join(' OR ')})`.length > room) flush();
      terms.push(k);
    }
    flush();
  }
  return rules;
}

/** What to delete (by id) and what to add to go from the rules in place to the wanted ones. */
export function diffRules(existing: readonly ExistingRule[], wanted: readonly XRule[]): { add: XRule[]; deleteIds: string[] } {
  const key = (r: XRule): string => `${r.tag}\u0000${r.value}`;
  const want = new Set(wanted.map(key));
  const have = new Set(existing.map(key));
  return { add: wanted.filter((r) => !have.has(key(r))), deleteIds: existing.filter((r) => !want.has(key(r))).map((r) => r.id) };
}

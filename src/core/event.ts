// Events: what researchers collect for. Pure validation, no I/O.

import { type FieldError, ValidationError } from './errors.js';

/** A geographic bounding box: [west longitude, south latitude, east longitude, north latitude], in degrees. */
export type Box = [number, number, number, number];

/** What an event collects beyond keywords (all optional; the union of keywords, accounts and boxes is collected). */
export interface EventTargets {
  /** Accounts whose posts, and posts mentioning or replying to them, belong to the event: ids or handles (no @). */
  accounts: string[];
  /** Posts with coordinates inside, or a place overlapping, one of these boxes. */
  boxes: Box[];
  /** A filter, not a target: when set, only posts in these languages belong to the event. */
  languages: string[];
}

export interface VigilEvent extends Partial<EventTargets> {
  /** The event's identity: given when it is created, kept when it is renamed (see event-id.ts). */
  id: string;
  name: string;
  keywords: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a client may send to create or replace an event. */
export interface EventInput extends Partial<EventTargets> {
  name: string;
  keywords: string[];
  active?: boolean;
}

/** The fields a client may send for an event. */
export const EVENT_FIELDS = ['name', 'keywords', 'active', 'accounts', 'boxes', 'languages'] as const;

/** The targets of an event, empty where it names none. */
export function targetsOf(e: Partial<EventTargets>): EventTargets {
  return { accounts: e.accounts ?? [], boxes: e.boxes ?? [], languages: e.languages ?? [] };
}

export const EVENT_LIMITS = {
  nameMaxChars: 100,
  keywordsMax: 400,
  keywordMaxBytes: 60,
  /** As Twitter v1.1 `follow` and `locations` allow per connection. */
  accountsMax: 5000,
  boxesMax: 25,
  languagesMax: 50,
} as const;

const utf8 = new TextEncoder();

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Phrases written or pasted as one text (`sandy, flooding, evacuate`, or one per line): commas and line breaks
 * separate phrases; spaces join the words of one phrase (all required).
 */
export function splitPhrases(text: string): string[] {
  return text
    .split(/[,\n\r]+/u)
    .map(normalizeKeyword)
    .filter((p) => p !== '');
}

/** What is likely a mistake in keywords that are otherwise valid: a phrase holding a comma (one AND phrase, not a list). */
export function keywordWarnings(keywords: readonly string[]): string[] {
  return keywords.flatMap((k, i) =>
    k.includes(',')
      ? [
          `keywords[${i}] "${k}" holds a comma, so it is one phrase whose words must all appear in a post; to track each on its own, send them as separate phrases: ${JSON.stringify(splitPhrases(k))}`,
        ]
      : [],
  );
}

/** Collapses inner whitespace so `new   york` and `new york` are one phrase. */
export function normalizeKeyword(k: string): string {
  return k.trim().replace(/\s+/gu, ' ');
}

function checkName(name: unknown, errors: FieldError[]): string | undefined {
  if (typeof name !== 'string') {
    errors.push({ field: 'name', message: 'is required and must be a string' });
    return undefined;
  }
  const trimmed = name.trim();
  const chars = [...trimmed].length;
  if (chars < 1) errors.push({ field: 'name', message: 'must not be empty' });
  else if (chars > EVENT_LIMITS.nameMaxChars) errors.push({ field: 'name', message: `must be at most ${EVENT_LIMITS.nameMaxChars} characters (got ${chars})` });
  else if (/[\p{Cc}/]/u.test(trimmed)) errors.push({ field: 'name', message: 'must not contain control characters or "/"' });
  return trimmed;
}

function checkKeywords(keywords: unknown, errors: FieldError[]): string[] | undefined {
  if (!Array.isArray(keywords)) {
    errors.push({ field: 'keywords', message: 'is required and must be an array of strings' });
    return undefined;
  }
  if (keywords.length > EVENT_LIMITS.keywordsMax)
    errors.push({ field: 'keywords', message: `must hold at most ${EVENT_LIMITS.keywordsMax} phrases (got ${keywords.length})` });
  const out: string[] = [];
  const seen = new Set<string>();
  keywords.forEach((k, i) => {
    const field = `keywords[${i}]`;
    if (typeof k !== 'string') {
      errors.push({ field, message: 'must be a string' });
      return;
    }
    const phrase = normalizeKeyword(k);
    const bytes = utf8.encode(phrase).length;
    if (bytes < 1) errors.push({ field, message: 'must not be empty' });
    else if (bytes > EVENT_LIMITS.keywordMaxBytes)
      errors.push({ field, message: `must be at most ${EVENT_LIMITS.keywordMaxBytes} bytes of UTF-8 (got ${bytes})` });
    else if (!seen.has(phrase.toLowerCase())) {
      seen.add(phrase.toLowerCase());
      out.push(phrase);
    }
  });
  return out;
}

/** `@NYCGov` → `nycgov`; ids (digits, DIDs, URLs) are kept as they are but for case. */
export function normalizeAccount(a: string): string {
  return a.trim().replace(/^@/u, '').toLowerCase();
}

const ACCOUNT = /^[^\s,]{1,200}$/u;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/u;

function checkList<T>(value: unknown, field: string, max: number, errors: FieldError[], item: (v: unknown, f: string) => T | undefined): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be an array' });
    return [];
  }
  if (value.length > max) errors.push({ field, message: `must hold at most ${max} entries (got ${value.length})` });
  const out: T[] = [];
  const seen = new Set<string>();
  value.forEach((v, i) => {
    const x = item(v, `${field}[${i}]`);
    if (x !== undefined && !seen.has(JSON.stringify(x))) {
      seen.add(JSON.stringify(x));
      out.push(x);
    }
  });
  return out;
}

function checkTargets(body: Record<string, unknown>, errors: FieldError[]): EventTargets {
  const accounts = checkList(body.accounts, 'accounts', EVENT_LIMITS.accountsMax, errors, (v, field) => {
    const a = typeof v === 'string' ? normalizeAccount(v) : '';
    if (typeof v === 'string' && ACCOUNT.test(a)) return a;
    errors.push({ field, message: 'must be an account id or handle (e.g. "783214", "@nycgov", "did:plc:…"), without spaces or commas' });
    return undefined;
  });
  const boxes = checkList(body.boxes, 'boxes', EVENT_LIMITS.boxesMax, errors, (v, field): Box | undefined => {
    const ok = Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
    if (ok) {
      const [w, s, e, n] = v as number[];
      if (w >= -180 && e <= 180 && w < e && s >= -90 && n <= 90 && s < n) return [w, s, e, n];
    }
    errors.push({ field, message: 'must be [west, south, east, north] in degrees, with -180 ≤ west < east ≤ 180 and -90 ≤ south < north ≤ 90' });
    return undefined;
  });
  const languages = checkList(body.languages, 'languages', EVENT_LIMITS.languagesMax, errors, (v, field) => {
    const l = typeof v === 'string' ? v.trim().toLowerCase() : '';
    if (LANGUAGE.test(l)) return l;
    errors.push({ field, message: 'must be a language code such as "en", "es" or "pt-br"' });
    return undefined;
  });
  return { accounts, boxes, languages };
}

/** Validates a create/replace body; throws ValidationError naming each bad field. */
export function validateEventInput(body: unknown): Required<EventInput> {
  if (!isRecord(body)) throw new ValidationError([{ field: 'body', message: 'must be a JSON object with name and keywords' }]);
  const errors: FieldError[] = [];
  const name = checkName(body.name, errors);
  const hasOtherTargets = (Array.isArray(body.accounts) && body.accounts.length > 0) || (Array.isArray(body.boxes) && body.boxes.length > 0);
  const keywords = body.keywords === undefined && hasOtherTargets ? [] : checkKeywords(body.keywords, errors);
  if (body.active !== undefined && typeof body.active !== 'boolean') errors.push({ field: 'active', message: 'must be true or false' });
  const targets = checkTargets(body, errors);
  if (
    keywords !== undefined &&
    keywords.length === 0 &&
    targets.accounts.length === 0 &&
    targets.boxes.length === 0 &&
    !errors.some((e) => e.field.startsWith('keywords'))
  )
    errors.push({ field: 'keywords', message: 'must hold at least 1 phrase (or name accounts or boxes to collect)' });
  const unknown = Object.keys(body).filter((k) => !(EVENT_FIELDS as readonly string[]).includes(k) && k !== 'id' && k !== 'createdAt' && k !== 'updatedAt');
  for (const k of unknown) errors.push({ field: k, message: `is not a field of an event (${EVENT_FIELDS.join(', ')})` });
  if (errors.length > 0 || name === undefined || keywords === undefined) throw new ValidationError(errors);
  return { name, keywords, active: body.active === undefined ? true : (body.active as boolean), ...targets };
}

/** Validates a partial update and returns the merged input. */
export function applyEventPatch(current: VigilEvent, patch: unknown): Required<EventInput> {
  if (!isRecord(patch)) throw new ValidationError([{ field: 'body', message: 'must be a JSON object' }]);
  const t = targetsOf(current);
  return validateEventInput({
    name: patch.name ?? current.name,
    keywords: patch.keywords ?? current.keywords,
    active: patch.active ?? current.active,
    accounts: patch.accounts ?? t.accounts,
    boxes: patch.boxes ?? t.boxes,
    languages: patch.languages ?? t.languages,
    ...Object.fromEntries(Object.entries(patch).filter(([k]) => !(EVENT_FIELDS as readonly string[]).includes(k))),
  });
}

/**
 * What makes two event names the same to a reader: case, Unicode compatibility forms (full-width letters) and runs of
 * spaces aside. `2012 hurricane  sandy` and `2012 Hurricane Sandy` would be two events that look like one.
 */
export function eventNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** The existing name `name` would be taken for, if any (`except`: the event being renamed). */
export function nearDuplicateName(existing: readonly string[], name: string, except?: string): string | undefined {
  const key = eventNameKey(name);
  return existing.find((n) => n !== except && eventNameKey(n) === key);
}

/**
 * Parses the `events.json` file format of `vigil classify`: `[{"name": ..., "keywords": [...]}]`. The events have no
 * identity: the matcher gives each the one its name gives.
 */
export function parseEventsFile(json: unknown, now: string): Omit<VigilEvent, 'id'>[] {
  if (!Array.isArray(json)) throw new ValidationError([{ field: 'events', message: 'must be a JSON array of {"name", "keywords"} objects' }]);
  const names: string[] = [];
  const errors: FieldError[] = [];
  const events: Omit<VigilEvent, 'id'>[] = [];
  json.forEach((item, i) => {
    try {
      const e = validateEventInput(item);
      const same = nearDuplicateName(names, e.name);
      if (same !== undefined)
        errors.push({ field: `[${i}].name`, message: `"${e.name}" is the name of an earlier event ("${same}", case and spacing aside); names must differ` });
      names.push(e.name);
      events.push({ ...e, createdAt: now, updatedAt: now });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const fe of err.errors) errors.push({ field: `[${i}].${fe.field}`, message: fe.message });
    }
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return events;
}

/** How many distinct phrases the tracker follows: the union of the active events' keywords (case-insensitive). */
export function trackedKeywords(events: readonly Pick<VigilEvent, 'keywords' | 'active'>[]): number {
  return new Set(events.filter((e) => e.active).flatMap((e) => e.keywords.map((k) => k.toLowerCase()))).size;
}

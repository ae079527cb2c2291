// Events: what researchers collect for. Pure validation, no I/O.

export interface VigilEvent {
  name: string;
  keywords: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What a client may send to create or replace an event. */
export interface EventInput {
  name: string;
  keywords: string[];
  active?: boolean;
}

export interface FieldError {
  field: string;
  message: string;
}

export class ValidationError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'ValidationError';
    this.errors = errors;
  }
}

export const EVENT_LIMITS = {
  nameMaxChars: 100,
  keywordsMax: 400,
  keywordMaxBytes: 60,
} as const;

const utf8 = new TextEncoder();

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
  else if (chars > EVENT_LIMITS.nameMaxChars)
    errors.push({ field: 'name', message: `must be at most ${EVENT_LIMITS.nameMaxChars} characters (got ${chars})` });
  else if (/[\u0000-\u001f\u007f/]/u.test(trimmed))
    errors.push({ field: 'name', message: 'must not contain control characters or "/"' });
  return trimmed;
}

function checkKeywords(keywords: unknown, errors: FieldError[]): string[] | undefined {
  if (!Array.isArray(keywords)) {
    errors.push({ field: 'keywords', message: 'is required and must be an array of strings' });
    return undefined;
  }
  if (keywords.length < 1) errors.push({ field: 'keywords', message: 'must hold at least 1 phrase' });
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

/** Validates a create/replace body; throws ValidationError naming each bad field. */
export function validateEventInput(body: unknown): Required<EventInput> {
  if (!isRecord(body)) throw new ValidationError([{ field: 'body', message: 'must be a JSON object with name and keywords' }]);
  const errors: FieldError[] = [];
  const name = checkName(body.name, errors);
  const keywords = checkKeywords(body.keywords, errors);
  if (body.active !== undefined && typeof body.active !== 'boolean')
    errors.push({ field: 'active', message: 'must be true or false' });
  const unknown = Object.keys(body).filter((k) => !['name', 'keywords', 'active', 'createdAt', 'updatedAt'].includes(k));
  for (const k of unknown) errors.push({ field: k, message: 'is not a field of an event (name, keywords, active)' });
  if (errors.length > 0 || name === undefined || keywords === undefined) throw new ValidationError(errors);
  return { name, keywords, active: body.active === undefined ? true : (body.active as boolean) };
}

/** Validates a partial update and returns the merged input. */
export function applyEventPatch(current: VigilEvent, patch: unknown): Required<EventInput> {
  if (!isRecord(patch)) throw new ValidationError([{ field: 'body', message: 'must be a JSON object' }]);
  return validateEventInput({
    name: patch.name ?? current.name,
    keywords: patch.keywords ?? current.keywords,
    active: patch.active ?? current.active,
    ...Object.fromEntries(Object.entries(patch).filter(([k]) => !['name', 'keywords', 'active'].includes(k))),
  });
}

/** Parses the `events.json` file format of `vigil classify`: `[{"name": ..., "keywords": [...]}]`. */
export function parseEventsFile(json: unknown, now: string): VigilEvent[] {
  if (!Array.isArray(json)) throw new ValidationError([{ field: 'events', message: 'must be a JSON array of {"name", "keywords"} objects' }]);
  const names = new Set<string>();
  const errors: FieldError[] = [];
  const events: VigilEvent[] = [];
  json.forEach((item, i) => {
    try {
      const e = validateEventInput(item);
      if (names.has(e.name)) errors.push({ field: `[${i}].name`, message: `"${e.name}" is used by an earlier event; names must be unique` });
      names.add(e.name);
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

// Account names: folded to lower case, and refused when they could be taken for an existing one ("Admin",
// "admin.", "adm1n" beside "admin"). Pure.

import { ValidationError } from './errors.js';

const NAME = /^[a-z0-9](?:[a-z0-9._@-]{0,62}[a-z0-9])?$/u;

/** The stored form of a name given by a person: NFKC, lower case; refused unless letters, digits and . _ @ - inside. */
export function accountName(name: unknown): string {
  const n = typeof name === 'string' ? name.normalize('NFKC').toLowerCase() : '';
  if (!NAME.test(n))
    throw new ValidationError([{ field: 'name', message: 'must be 1–64 letters (a–z) or digits, with ".", "_", "@" or "-" only between them' }]);
  return n;
}

const LOOK_ALIKE: Record<string, string> = { '0': 'o', '1': 'l', i: 'l', '5': 's', '3': 'e', '8': 'b' };

/** What a name looks like to a reader: punctuation dropped, characters that pass for others made the same. */
export function nameSkeleton(name: string): string {
  return [
    ...name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[._@-]/gu, ''),
  ]
    .map((c) => LOOK_ALIKE[c] ?? c)
    .join('');
}

/** True when `candidate` could be mistaken for `existing`. */
export function namesClash(candidate: string, existing: string): boolean {
  return nameSkeleton(candidate) === nameSkeleton(existing);
}

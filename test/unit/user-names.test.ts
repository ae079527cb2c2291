// Account names folded to lower case; names that could pass for an existing one refused.

import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { accountName, namesClash } from '../../src/core/user-names.js';

describe('account names', () => {
  it('folds case and width', () => {
    expect(accountName('Ana')).toBe('ana');
    expect(accountName('ＡＮＡ')).toBe('ana');
  });

  it('refuses names with punctuation at either end, spaces or other characters', () => {
    for (const n of ['admin.', '.admin', '-x', 'a b', 'ad/min', '', 'x'.repeat(65), 'аdmin']) expect(() => accountName(n), n).toThrow(ValidationError);
  });

  it('sees look-alikes of an existing name', () => {
    for (const n of ['admin', 'ad.min', 'ad_min', 'adm1n', 'admln', 'a-d-m-i-n']) expect(namesClash(n, 'admin'), n).toBe(true);
    expect(namesClash('adminx', 'admin')).toBe(false);
    expect(namesClash('ana', 'admin')).toBe(false);
  });
});

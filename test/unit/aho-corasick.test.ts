import { describe, expect, it } from 'vitest';
import { AhoCorasick } from '../../src/core/aho-corasick.js';

const find = (patterns: string[], text: string): number[] => {
  const out = new Set<number>();
  new AhoCorasick(patterns).scan(text, (id) => out.add(id));
  return [...out].sort();
};

describe('Aho-Corasick automaton', () => {
  it('finds every pattern that occurs, including overlapping ones', () => {
    expect(find(['he', 'she', 'his', 'hers'], 'ushers')).toEqual([0, 1, 3]);
  });
  it('finds nothing when no pattern occurs', () => {
    expect(find(['abc'], 'abd')).toEqual([]);
  });
  it('handles patterns that are suffixes of others through fail links', () => {
    expect(find(['大地震', '地震'], '大地震だ')).toEqual([0, 1]);
  });
  it('ignores empty patterns', () => {
    expect(find(['', 'a'], 'a')).toEqual([1]);
  });
});

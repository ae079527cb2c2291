import { describe, expect, it } from 'vitest';
import { keywordWarnings, splitPhrases } from '../../src/core/event.js';

describe('keyword lists written as one text', () => {
  it('splits on commas and line breaks, keeps the words of a phrase together, drops empty parts', () => {
    expect(splitPhrases('sandy, flooding,evacuate')).toEqual(['sandy', 'flooding', 'evacuate']);
    expect(splitPhrases('new  york city\r\n\r\nstorm surge\n, ,')).toEqual(['new york city', 'storm surge']);
    expect(splitPhrases('   ')).toEqual([]);
  });

  it('warns of a phrase holding a comma, naming it and the phrases it likely meant; none for ordinary phrases', () => {
    expect(keywordWarnings(['sandy', 'new york city'])).toEqual([]);
    const [w] = keywordWarnings(['sandy', 'a, b']);
    expect(w).toContain('keywords[1] "a, b" holds a comma');
    expect(w).toContain('["a","b"]');
  });
});

// How a post's text is cut into tokens: a plain word (ASCII letters and digits, folded) is its own and only token;
// words with anything else go through the full rules (edges stripped, links, #/@ forms, emoji).

import { describe, expect, it } from 'vitest';
import { postTokens } from '../../src/core/tokens.js';

const tokensOf = (text: string) => [...postTokens({ texts: [text], hashtags: [], mentions: [], urls: [] }).keys()].sort();

describe('post tokens', () => {
  it('takes a plain word, folded, as its only token', () => {
    expect(tokensOf('Flooding in NYC 2012')).toEqual(['2012', 'flooding', 'in', 'nyc']);
    expect(tokensOf('www')).toEqual(['www']);
  });

  it('gives words with punctuation, links, prefixes and emoji their full-rule tokens', () => {
    expect(tokensOf('flood. nyc, (sandy)')).toEqual(['flood', 'nyc', 'sandy']);
    expect(tokensOf('#sandy @fema')).toEqual(['#sandy', '@fema', 'fema', 'sandy']);
    expect(tokensOf('www.fema.gov')).toEqual(['fema.gov', 'www.fema.gov']);
    expect(tokensOf("don't co-op")).toEqual(['co-op', "don't"]);
    expect(tokensOf('safe🙏')).toEqual(['safe', '🙏']);
    expect(tokensOf('ＦＬＯＯＤ Évacuate')).toEqual(['flood', 'évacuate']);
  });
});

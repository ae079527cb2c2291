import { describe, expect, it } from 'vitest';
import { Matcher } from '../../src/core/matcher.js';
import type { PostFeatures } from '../../src/core/tokens.js';

const post = (text: string, extra: Partial<PostFeatures> = {}): PostFeatures => ({ texts: [text], hashtags: [], mentions: [], urls: [], ...extra });
const ev = (name: string, keywords: string[], active = true) => ({ name, keywords, active });
const matches = (keywords: string[], p: PostFeatures): boolean => new Matcher([ev('e', keywords)]).match(p).length === 1;

describe('matcher: Twitter track semantics', () => {
  it('a phrase matches when all its terms occur, in any order', () => {
    expect(matches(['new york city'], post('City of New York is dark'))).toBe(true);
    expect(matches(['new york city'], post('New York is dark'))).toBe(false);
  });

  it('matching ignores case', () => {
    expect(matches(['sandy'], post('SANDY is here'))).toBe(true);
    expect(matches(['SANDY'], post('sandy is here'))).toBe(true);
  });

  it('text beyond ASCII is compared after NFKC folding: full-width letters and ligatures match their plain words', () => {
    expect(matches(['sandy'], post('ＳＡＮＤＹ is here'))).toBe(true);
    expect(matches(['flood'], post('the ﬂood rises'))).toBe(true);
    expect(matches(['ﬂood'], post('FLOOD warning'))).toBe(true);
    expect(matches(['café'], post('CAFE\u0301 open'))).toBe(true);
  });

  it('phrases sharing their terms with many others each match exactly when all their own terms occur', () => {
    const m = new Matcher([ev('a', ['storm surge', 'storm']), ev('b', ['surge warning']), ev('c', ['storm warning coast']), ev('d', ['warning'])]);
    const names = (text: string) => m.match(post(text)).map((x) => `${x.event}:${x.keywords.join('|')}`);
    expect(names('storm surge warning')).toEqual(['a:storm surge|storm', 'b:surge warning', 'd:warning']);
    expect(names('coast storm warning')).toEqual(['a:storm', 'c:storm warning coast', 'd:warning']);
    expect(names('surge')).toEqual([]);
  });

  it('an event matches when any one of its phrases matches', () => {
    expect(matches(['hurricane sandy', 'flooding'], post('the flooding is bad'))).toBe(true);
  });

  it('punctuation around a token is ignored: flood. and "Flood" match flood', () => {
    expect(matches(['flood'], post('there is a flood.'))).toBe(true);
    expect(matches(['flood'], post('they said "Flood" twice'))).toBe(true);
    expect(matches(['flood'], post('(flood!)'))).toBe(true);
  });

  it('terms match whole tokens: floods and #newflood do not match flood', () => {
    expect(matches(['flood'], post('the floods came'))).toBe(false);
    expect(matches(['flood'], post('see #newflood'))).toBe(false);
    expect(matches(['flood'], post('flooding'))).toBe(false);
  });

  it('an emoji is a token wherever it stands, from the first pictograph (©, U+00A9) up; words beside it stay words', () => {
    expect(matches(['🌀'], post('safe🙏🌀'))).toBe(true);
    expect(matches(['safe'], post('safe🙏🌀'))).toBe(true);
    expect(matches(['🙏'], post('thanks 🙏🏽 all'))).toBe(true);
    expect(matches(['©'], post('photo©AP'))).toBe(true);
    expect(matches(['photo'], post('photo©AP'))).toBe(true);
    expect(matches(['🇺🇸'], post('go🇺🇸go'))).toBe(true);
    expect(matches(['¨'], post('a¨b'))).toBe(false);
    expect(matches(['🌀'], post('plain ascii words only'))).toBe(false);
  });

  it('hashtags match: #sandy matches sandy', () => {
    expect(matches(['sandy'], post('stay safe #Sandy'))).toBe(true);
    expect(matches(['sandy'], post('stay safe', { hashtags: ['Sandy'] }))).toBe(true);
  });

  it('a term written #tag matches the hashtag only', () => {
    expect(matches(['#sandy'], post('stay safe #sandy'))).toBe(true);
    expect(matches(['#sandy'], post('sandy beach'))).toBe(false);
  });

  it('mentioned screen names match: @fema matches fema', () => {
    expect(matches(['fema'], post('thanks @FEMA'))).toBe(true);
    expect(matches(['fema'], post('thanks', { mentions: ['fema'] }))).toBe(true);
  });

  it('expanded and display URLs match: fema.gov matches a link to https://www.fema.gov/x', () => {
    expect(matches(['fema.gov'], post('help here https://t.co/abc', { urls: ['https://www.fema.gov/x'] }))).toBe(true);
    expect(matches(['fema.gov'], post('help here', { urls: ['fema.gov/x'] }))).toBe(true);
    expect(matches(['fema.gov'], post('help here', { urls: ['https://www.example.com/fema.gov'] }))).toBe(false);
  });

  it('a link written in the text does not match a bare word inside it (as on Twitter)', () => {
    expect(matches(['twitter'], post('see http://www.twitter.com'))).toBe(false);
  });

  it('unspaced scripts match as substrings: Japanese', () => {
    expect(matches(['地震'], post('東京で大きな地震がありました'))).toBe(true);
    expect(matches(['津波'], post('東京で大きな地震がありました'))).toBe(false);
  });

  it('unspaced scripts match as substrings: Chinese and Thai', () => {
    expect(matches(['台风'], post('今天台风来了'))).toBe(true);
    expect(matches(['น้ำท่วม'], post('กรุงเทพน้ำท่วมหนักมาก'))).toBe(true);
  });

  it('a phrase can mix unspaced and spaced terms; all must occur', () => {
    expect(matches(['地震 tokyo'], post('地震です in Tokyo'))).toBe(true);
    expect(matches(['地震 osaka'], post('地震です in Tokyo'))).toBe(false);
  });

  it('returns each matching event once, with its identity and the phrases that matched in the event order', () => {
    const m = new Matcher([{ ...ev('Sandy', ['sandy', 'flooding', 'evacuate']), id: 'id-of-sandy' }, ev('Other', ['earthquake'])]);
    expect(m.match(post('Evacuate now: flooding from Sandy'))).toEqual([
      {
        event: 'Sandy',
        eventId: 'id-of-sandy',
        keywords: ['sandy', 'flooding', 'evacuate'],
        targets: ['keyword:sandy', 'keyword:flooding', 'keyword:evacuate'],
        fields: ['text', 'text', 'text'],
      },
    ]);
  });

  it('serves many events in one pass: a post matches every event that shares a keyword', () => {
    const m = new Matcher([ev('A', ['hurricane']), ev('B', ['hurricane sandy']), ev('C', ['earthquake'])]);
    expect(m.match(post('Hurricane Sandy')).map((x) => x.event)).toEqual(['A', 'B']);
  });

  it('paused events do not match', () => {
    const m = new Matcher([ev('A', ['sandy'], false)]);
    expect(m.match(post('sandy'))).toEqual([]);
  });

  it('text from several parts (retweeted and quoted posts) counts', () => {
    expect(matches(['sandy flood'], { texts: ['RT this', 'Sandy'], hashtags: ['flood'], mentions: [], urls: [] })).toBe(true);
  });

  it('keeps working after many posts (term marks are reset between posts)', () => {
    const m = new Matcher([ev('A', ['red blue'])]);
    for (let i = 0; i < 1000; i++) expect(m.match(post(i % 2 === 0 ? 'red' : 'blue'))).toEqual([]);
    expect(m.match(post('blue red'))).toHaveLength(1);
  });

  it('compiles 1,000 events into one term index', () => {
    const events = Array.from({ length: 1000 }, (_, i) => ev(`e${i}`, [`word${i}`, `shared term${i}`]));
    const m = new Matcher(events);
    expect(m.phraseCount).toBe(2000);
    expect(m.match(post('word999 here')).map((x) => x.event)).toEqual(['e999']);
  });
});

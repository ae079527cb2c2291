import { describe, expect, it } from 'vitest';
import { jetstreamSource } from '../../src/adapters/jetstream/plugin.js';
import { TWITTER_V1_SHAPE } from '../../src/adapters/twitter/plugin.js';
import type { ValidationError } from '../../src/core/errors.js';
import { validateEventInput } from '../../src/core/event.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { Matcher } from '../../src/core/matcher.js';
import type { PostFeatures } from '../../src/core/tokens.js';
import { recognizeTwitterV1 } from '../../src/core/twitter-v1.js';

const post = (extra: Partial<PostFeatures> = {}): PostFeatures => ({ texts: ['nothing to see'], hashtags: [], mentions: [], urls: [], ...extra });
const event = (extra: Record<string, unknown>) => ({ name: 'E', keywords: [] as string[], active: true, ...extra });

describe('targets beyond keywords', () => {
  it('an account target takes posts by the account, by id or handle, and records the author field', () => {
    const m = new Matcher([event({ accounts: ['@NYCGov', '783214'] })]);
    expect(m.match(post({ authors: ['5', 'nycgov'] }))).toEqual([
      { event: 'E', eventId: legacyEventId('E'), keywords: [], targets: ['account:nycgov'], fields: ['author'] },
    ]);
    expect(m.match(post({ authors: ['783214', 'twitter'] }))[0].targets).toEqual(['account:783214']);
    expect(m.match(post({ authors: ['1', 'someone'] }))).toEqual([]);
  });

  it('an account target takes posts mentioning or replying to the account (mention field)', () => {
    const m = new Matcher([event({ accounts: ['nycgov', '99'] })]);
    expect(m.match(post({ mentions: ['NYCGov'] }))[0]).toMatchObject({ targets: ['account:nycgov'], fields: ['mention'] });
    expect(m.match(post({ mentionIds: ['99'] }))[0]).toMatchObject({ targets: ['account:99'], fields: ['mention'] });
  });

  it('a box takes posts whose coordinates are inside it, else whose place overlaps it', () => {
    const nyc = [-74.3, 40.5, -73.7, 40.9];
    const m = new Matcher([event({ boxes: [nyc] })]);
    expect(m.match(post({ point: [-74.0, 40.7] }))[0]).toMatchObject({ targets: ['box:-74.3,40.5,-73.7,40.9'], fields: ['coordinates'] });
    expect(m.match(post({ point: [2.35, 48.85] }))).toEqual([]);
    // coordinates win over the place: a point outside is not rescued by a place that overlaps
    expect(m.match(post({ point: [2.35, 48.85], placeBox: [-75, 40, -73, 41] }))).toEqual([]);
    expect(m.match(post({ placeBox: [-74.05, 40.6, -73.9, 40.8] }))[0]).toMatchObject({ fields: ['place'] });
    expect(m.match(post({ placeBox: [-80, 30, -79, 31] }))).toEqual([]);
  });

  it('languages filter every target of the event; a primary subtag takes its regional forms', () => {
    const m = new Matcher([event({ keywords: ['flood'], accounts: ['nycgov'], languages: ['en'] })]);
    expect(m.match(post({ texts: ['flood'], lang: 'en' }))).toHaveLength(1);
    expect(m.match(post({ texts: ['flood'], lang: 'en-GB' }))).toHaveLength(1);
    expect(m.match(post({ texts: ['flood'], lang: 'es' }))).toEqual([]);
    expect(m.match(post({ texts: ['flood'] }))).toEqual([]);
    expect(m.match(post({ authors: ['nycgov'], lang: 'fr' }))).toEqual([]);
  });

  it('records where a keyword matched: hashtag before text, a URL, a mention, or several fields for a phrase', () => {
    const m = new Matcher([event({ keywords: ['sandy', 'fema.gov', 'nycgov', 'sandy storm'] })]);
    const [hit] = m.match(
      post({ texts: ['storm #sandy see fema.gov/help @nycgov'], hashtags: ['sandy'], mentions: ['nycgov'], urls: ['https://fema.gov/help'] }),
    );
    expect(hit.targets).toEqual(['keyword:sandy', 'keyword:fema.gov', 'keyword:nycgov', 'keyword:sandy storm']);
    expect(hit.fields).toEqual(['hashtag', 'url', 'mention', 'hashtag+text']);
  });

  it('records a term of an unspaced script (found inside the text) as a hashtag when a hashtag is that term, else as text', () => {
    const m = new Matcher([event({ keywords: ['地震', '東京 地震'] })]);
    const [tagged] = m.match(post({ texts: ['東京で地震 #地震'], hashtags: ['地震'] }));
    expect(tagged.fields).toEqual(['hashtag', 'text+hashtag']);
    const [plain] = m.match(post({ texts: ['東京で地震'] }));
    expect(plain.fields).toEqual(['text', 'text']);
  });

  it('keywords and other targets of one event are all recorded on its one match', () => {
    const m = new Matcher([event({ keywords: ['flood'], accounts: ['nycgov'] }), { name: 'F', keywords: ['flood'], active: true }]);
    const r = m.match(post({ texts: ['flood'], authors: ['nycgov'] }));
    expect(r.map((x) => [x.event, x.targets])).toEqual([
      ['E', ['keyword:flood', 'account:nycgov']],
      ['F', ['keyword:flood']],
    ]);
  });

  it('a Twitter v1.1 post yields its author, reply, coordinates, place and language for matching', () => {
    const r = recognizeTwitterV1(
      {
        id_str: '1',
        text: 'hi',
        lang: 'en',
        in_reply_to_status_id_str: '7',
        in_reply_to_screen_name: 'NYCGov',
        in_reply_to_user_id_str: '99',
        user: { id_str: '5', screen_name: 'alice' },
        coordinates: { type: 'Point', coordinates: [-74, 40.7] },
        place: {
          bounding_box: {
            type: 'Polygon',
            coordinates: [
              [
                [-74.2, 40.4],
                [-74.2, 40.9],
                [-73.7, 40.9],
                [-73.7, 40.4],
              ],
            ],
          },
        },
      },
      'raw',
    );
    if (r.kind !== 'post') throw new Error('expected a post');
    expect(r.post.features).toMatchObject({
      authors: ['5', 'alice'],
      mentionIds: ['99'],
      point: [-74, 40.7],
      placeBox: [-74.2, 40.4, -73.7, 40.9],
      lang: 'en',
    });
    expect(r.post.features.mentions).toContain('NYCGov');
    expect(r.post.row).toMatchObject({ t_in_reply_to_status_id: '7', t_in_reply_to_screen_name: 'NYCGov' });
  });

  it('validation: accounts, boxes and languages are checked and an event needs at least one target', () => {
    const fields = (body: unknown): string[] => {
      try {
        validateEventInput(body);
        return [];
      } catch (err) {
        return (err as ValidationError).errors.map((e) => e.field);
      }
    };
    expect(validateEventInput({ name: 'a', accounts: ['@NYCGov'], boxes: [[-74.3, 40.5, -73.7, 40.9]], languages: ['EN'] })).toEqual({
      name: 'a',
      keywords: [],
      active: true,
      accounts: ['nycgov'],
      boxes: [[-74.3, 40.5, -73.7, 40.9]],
      languages: ['en'],
    });
    expect(fields({ name: 'a', keywords: [] })).toEqual(['keywords']);
    expect(fields({ name: 'a', languages: ['en'] })).toEqual(['keywords']);
    expect(fields({ name: 'a', keywords: ['x'], boxes: [[10, 0, 5, 1]] })).toEqual(['boxes[0]']);
    expect(fields({ name: 'a', keywords: ['x'], boxes: [[0, 0, 1]] })).toEqual(['boxes[0]']);
    expect(fields({ name: 'a', keywords: ['x'], accounts: ['two words'] })).toEqual(['accounts[0]']);
    expect(fields({ name: 'a', keywords: ['x'], languages: ['english!'] })).toEqual(['languages[0]']);
    expect(fields({ name: 'a', keywords: ['x'], accounts: 'nycgov' })).toEqual(['accounts']);
  });
});

describe('targets sent to each source', () => {
  const nyc: [number, number, number, number] = [-74.3, 40.5, -73.7, 40.9];
  it('Twitter v1.1: ids as follow, handles as track phrases, boxes as locations', async () => {
    const { planTrackers } = await import('../../src/core/plan.js');
    const [c, more] = planTrackers([event({ keywords: ['Sandy'], accounts: ['783214', '@NYCGov'], boxes: [nyc] })], TWITTER_V1_SHAPE);
    expect(more).toBeUndefined();
    expect(c).toMatchObject({ keywords: ['nycgov', 'sandy'], follow: ['783214'], locations: [nyc] });
    // an event of accounts alone still opens a connection
    expect(planTrackers([event({ accounts: ['783214'] })], TWITTER_V1_SHAPE)).toHaveLength(1);
  });

  it('Jetstream: wantedDids only when every active event names DIDs alone', async () => {
    const { planTrackers } = await import('../../src/core/plan.js');
    expect(planTrackers([event({ accounts: ['did:plc:abc'] })], jetstreamSource.shape)[0].follow).toEqual(['did:plc:abc']);
    expect(planTrackers([event({ accounts: ['did:plc:abc'] }), { name: 'K', keywords: ['flood'], active: true }], jetstreamSource.shape)[0].follow).toEqual([]);
  });

  it('X v2: accounts as from:/@, boxes as bounding_box:, languages AND-ed', async () => {
    const { rulesFor } = await import('../../src/core/x-rules.js');
    expect(rulesFor([event({ keywords: ['flood'], accounts: ['nycgov', '42'], boxes: [nyc], languages: ['en', 'es'] })])).toEqual([
      { tag: 'E', value: '(flood OR from:nycgov OR @nycgov OR from:42 OR bounding_box:[-74.3 40.5 -73.7 40.9]) (lang:en OR lang:es)' },
    ]);
    expect(rulesFor([event({ keywords: ['flood'], languages: ['en'] })])).toEqual([{ tag: 'E', value: '(flood) lang:en' }]);
  });
});

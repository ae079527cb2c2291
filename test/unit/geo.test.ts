// Where a stored post goes on the map, from real payloads (test/fixtures/real/): its own coordinates (GeoJSON order,
// longitude first), else the centre of its place's box with the place's name; nothing for a post with neither.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateStream } from '../../src/bench/generate.js';
import { PLACE_IN_RAW } from '../../src/core/analyses.js';
import { geoOf } from '../../src/core/geo.js';
import { lineOf, REAL_ROOT } from '../helpers/real-payloads.js';
import { line, tweet } from '../helpers/tweets.js';

describe('a post on the map', () => {
  it('v1.1 coordinates are a point, longitude first', () => {
    const at = geoOf(lineOf('twitter-v1/coordinates.json'));
    expect(at?.kind).toBe('point');
    const raw = JSON.parse(lineOf('twitter-v1/coordinates.json')) as { coordinates: { coordinates: [number, number] } };
    expect([at?.lon, at?.lat]).toEqual(raw.coordinates.coordinates);
  });

  it("a v1.1 place without coordinates is its box's centre, with the place's name", () => {
    const raw = JSON.parse(lineOf('twitter-v1/place.json')) as { place: { full_name: string; bounding_box: { coordinates: number[][][] } } };
    const ring = raw.place.bounding_box.coordinates[0];
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    const at = geoOf(lineOf('twitter-v1/place.json'));
    expect(at).toMatchObject({ kind: 'place', place: raw.place.full_name });
    expect(at?.lon).toBeCloseTo((Math.min(...lons) + Math.max(...lons)) / 2, 6);
    expect(at?.lat).toBeCloseTo((Math.min(...lats) + Math.max(...lats)) / 2, 6);
  });

  it("an X v2 post with a place id is its expanded place's centre, with the place's name", () => {
    const raw = JSON.parse(lineOf('x-v2/stream-quote-geo-media.jsonl')) as { includes: { places: { full_name: string; geo: { bbox: number[] } }[] } };
    const [w, s, e, n] = raw.includes.places[0].geo.bbox;
    const at = geoOf(lineOf('x-v2/stream-quote-geo-media.jsonl'));
    expect(at).toMatchObject({ kind: 'place', place: raw.includes.places[0].full_name });
    expect(at?.lon).toBeCloseTo((w + e) / 2, 6);
    expect(at?.lat).toBeCloseTo((s + n) / 2, 6);
  });

  it('an X v2 post with coordinates and a place is its point, named by the place', () => {
    expect(geoOf(lineOf('x-v2/stream-place.jsonl'))).toEqual({ lon: -86.58216981, lat: 34.75192228, kind: 'point', place: 'Huntsville, AL' });
  });

  it('a post with neither, or a line that is not JSON, is not on the map', () => {
    expect(geoOf(lineOf('mastodon/hashtag.json'))).toBeNull();
    expect(geoOf('{"broken')).toBeNull();
  });
});

/** Every captured payload line (test/fixtures/real/), named by its file. */
function realLines(): { file: string; line: string }[] {
  return ['twitter-v1', 'x-v2', 'jetstream', 'mastodon'].flatMap((dir) =>
    readdirSync(join(REAL_ROOT, dir))
      .filter((f) => /\.(json|jsonl|sse)$/u.test(f))
      .flatMap((f) =>
        lineOf(`${dir}/${f}`)
          .split('\n')
          .map((l) => ({ file: `${dir}/${f}`, line: l })),
      ),
  );
}

describe("the map's look for a place in raw JSON (the posts the map reads beside those with coordinates)", () => {
  const placeIn = (raw: string) => new RegExp(PLACE_IN_RAW, 'u').test(raw);

  it('finds every captured post placed by its place, compact or pretty-printed', () => {
    const placed = realLines().filter(({ line: l }) => geoOf(l)?.kind === 'place');
    expect(placed.length).toBeGreaterThanOrEqual(3);
    for (const { file, line: l } of placed) {
      expect(placeIn(l), file).toBe(true);
      expect(placeIn(JSON.stringify(JSON.parse(l), null, 2)), `${file}, pretty-printed`).toBe(true);
    }
  });

  it('passes over a v1.1 tweet whose place is null, as every tweet without one has it', () => {
    const plain = line(tweet({ id: '1', text: 'sandy' }));
    expect(plain).toContain('"place":null');
    expect(placeIn(plain)).toBe(false);
    expect(placeIn(JSON.stringify(JSON.parse(plain), null, 2))).toBe(false);
    const generated = [...generateStream(200)].filter((l) => !placeIn(l));
    expect(generated).toHaveLength(200);
  });
});

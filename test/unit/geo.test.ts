// Where a stored post goes on the map, from real payloads (test/fixtures/real/): its own coordinates (GeoJSON order,
// longitude first), else the centre of its place's box with the place's name; nothing for a post with neither.

import { describe, expect, it } from 'vitest';
import { geoOf } from '../../src/core/geo.js';
import { lineOf } from '../helpers/real-payloads.js';

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

// Where a stored post is on the map: its own coordinates, else the centre of its place's box (drawn differently:
// a place is an area the platform named, not a position), read from the post's raw JSON with the normalizers.

import { recognizeLine } from './formats.js';

export interface GeoPost {
  platform: string;
  t_id: string;
  lon: number;
  lat: number;
  /** `point`: the post's own coordinates; `place`: the centre of the place it was tagged with. */
  kind: 'point' | 'place';
  /** The place's name as the platform gives it, when there is one. */
  place: string | null;
  text: string;
  user: string | null;
  createdAt: string | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The place name in a post's JSON: v1.1 `place.full_name`, X v2 `includes.places[0].full_name`. */
function placeName(msg: unknown): string | null {
  if (!isObj(msg)) return null;
  const v1 = isObj(msg.place) ? msg.place.full_name : undefined;
  if (typeof v1 === 'string') return v1;
  const places = isObj(msg.includes) && Array.isArray(msg.includes.places) ? msg.includes.places : [];
  const v2 = isObj(places[0]) ? places[0].full_name : undefined;
  return typeof v2 === 'string' ? v2 : null;
}

const onEarth = (lon: number, lat: number): boolean => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;

/** The map position of one post from its raw JSON, or null when it has neither coordinates nor a place. */
export function geoOf(raw: string): Pick<GeoPost, 'lon' | 'lat' | 'kind' | 'place'> | null {
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return null;
  }
  const r = recognizeLine(msg, raw);
  if (r.kind !== 'posts' || r.posts.length === 0) return null;
  const { point, placeBox } = r.posts[0].features;
  const place = placeName(msg);
  if (point && onEarth(point[0], point[1])) return { lon: point[0], lat: point[1], kind: 'point', place };
  if (placeBox) {
    const [w, s, e, n] = placeBox;
    const lon = (w + e) / 2;
    const lat = (s + n) / 2;
    if (onEarth(lon, lat)) return { lon, lat, kind: 'place', place };
  }
  return null;
}

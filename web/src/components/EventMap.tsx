// The event's geotagged posts on a map of the world. The basemap ships with the app (Natural Earth land at 1:110 m,
// from the world-atlas package): no tile server, no CDN. A post's own coordinates are a dot; the centre of the place
// it was tagged with (an area the platform named, not a position) is a square. Zoomed out, posts close together are
// one circle with their count; clicking it zooms in; clicking a post shows it.

import type { MultiPolygon, Polygon } from 'geojson';
import { useMemo, useState } from 'react';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land110m from 'world-atlas/land-110m.json';
import { api, enc, fmtNumber, fmtTime, type GeoView } from '../api';
import { usePoll } from './usePoll';

type GeoPost = GeoView['posts'][number];

const W = 960;
const H = 480;
/** Posts closer than this many screen pixels are drawn as one circle with their count. */
const CLUSTER_PX = 22;
const MAX_ZOOM = 64;

/** Equirectangular: longitude and latitude straight to x and y. */
const px = (lon: number): number => ((lon + 180) / 360) * W;
const py = (lat: number): number => ((90 - lat) / 180) * H;

/**
 * Natural Earth cuts land at the antimeridian, so a ring that crosses it (eastern Russia, Fiji) jumps from +180 to
 * -180 and back. Drawn as is, that jump is a line across the whole map; instead the ring is started just after a
 * jump and cut at each one, so every piece ends at the map's edge and closes along it.
 */
function ringPath(ring: number[][]): string {
  const jumps = (i: number): boolean => Math.abs(ring[i][0] - ring[(i + 1) % ring.length][0]) > 180;
  const first = ring.findIndex((_, i) => jumps(i));
  const start = first === -1 ? 0 : first + 1;
  const pieces: string[][] = [[]];
  for (let n = 0; n < ring.length; n++) {
    const i = (start + n) % ring.length;
    pieces[pieces.length - 1].push(`${px(ring[i][0]).toFixed(1)},${py(ring[i][1]).toFixed(1)}`);
    if (jumps(i) && n < ring.length - 1) pieces.push([]);
  }
  return pieces
    .filter((p) => p.length > 1)
    .map((p) => `M${p.join('L')}Z`)
    .join('');
}

function ringsPath(rings: number[][][]): string {
  return rings.map(ringPath).join('');
}

/** The land of the world as one SVG path (computed once). */
function landPath(): string {
  const topology = land110m as unknown as Topology<{ land: GeometryCollection }>;
  const land = feature(topology, topology.objects.land);
  const parts: string[] = [];
  for (const f of land.features) {
    const g = f.geometry as Polygon | MultiPolygon;
    if (g.type === 'Polygon') parts.push(ringsPath(g.coordinates));
    else for (const poly of g.coordinates) parts.push(ringsPath(poly));
  }
  return parts.join('');
}

interface View {
  /** Centre of the view in map units, and the zoom factor. */
  cx: number;
  cy: number;
  k: number;
}
const WORLD: View = { cx: W / 2, cy: H / 2, k: 1 };

interface Group {
  x: number;
  y: number;
  posts: GeoPost[];
}

/** Posts grouped by screen cell at this zoom: a cell with several posts is drawn as one counted circle. */
function groups(posts: GeoPost[], k: number): Group[] {
  const cell = CLUSTER_PX / k;
  const byCell = new Map<string, GeoPost[]>();
  for (const p of posts) {
    const key = `${Math.floor(px(p.lon) / cell)}:${Math.floor(py(p.lat) / cell)}`;
    const cellPosts = byCell.get(key);
    if (cellPosts) cellPosts.push(p);
    else byCell.set(key, [p]);
  }
  return [...byCell.values()].map((ps) => ({
    x: ps.reduce((n, p) => n + px(p.lon), 0) / ps.length,
    y: ps.reduce((n, p) => n + py(p.lat), 0) / ps.length,
    posts: ps,
  }));
}

const clampView = (v: View): View => {
  const k = Math.min(MAX_ZOOM, Math.max(1, v.k));
  const halfW = W / (2 * k);
  const halfH = H / (2 * k);
  return { k, cx: Math.min(W - halfW, Math.max(halfW, v.cx)), cy: Math.min(H - halfH, Math.max(halfH, v.cy)) };
};

export function EventMap({ name }: { name: string }) {
  const geo = usePoll(() => api<GeoView>('GET', `/api/events/${enc(name)}/geo`), 30_000, [name]);
  const path = useMemo(landPath, []);
  const [view, setView] = useState<View>(WORLD);
  const [selected, setSelected] = useState<GeoPost | null>(null);
  const posts = geo.data?.posts ?? [];
  const shown = useMemo(() => groups(posts, view.k), [posts, view.k]);
  const zoom = (factor: number, at?: { x: number; y: number }): void => setView((v) => clampView({ cx: at?.x ?? v.cx, cy: at?.y ?? v.cy, k: v.k * factor }));
  const vb = `${view.cx - W / (2 * view.k)} ${view.cy - H / (2 * view.k)} ${W / view.k} ${H / view.k}`;
  const r = 1 / view.k;
  const places = posts.filter((p) => p.kind === 'place').length;
  return (
    <article className="panel" data-testid="event-map">
      <header className="row between">
        <h3>
          Map{' '}
          <small className="muted" data-testid="map-count" aria-busy={!geo.data && !geo.error}>
            {geo.data
              ? `${fmtNumber(posts.length)} geotagged posts: ${fmtNumber(posts.length - places)} with their own coordinates, ${fmtNumber(places)} by their place`
              : geo.error
                ? 'no posts could be read'
                : 'looking for posts with a position (newest first)…'}
          </small>
        </h3>
        <div className="row">
          <button type="button" className="outline small-btn" aria-label="zoom in" onClick={() => zoom(2)}>
            +
          </button>
          <button type="button" className="outline small-btn" aria-label="zoom out" onClick={() => zoom(0.5)}>
            −
          </button>
          <button type="button" className="outline small-btn" onClick={() => setView(WORLD)}>
            whole world
          </button>
        </div>
      </header>
      {geo.error && <p className="error">{geo.error}</p>}
      <svg
        viewBox={vb}
        width="100%"
        role="img"
        aria-label={`map of the ${posts.length} geotagged posts of ${name}`}
        data-testid="map-svg"
        data-zoom={view.k}
        style={{ background: '#dbe9f4', aspectRatio: `${W} / ${H}` }}
      >
        <path d={path} fill="#f4f1ea" stroke="#b8b2a6" strokeWidth={0.6} vectorEffect="non-scaling-stroke" data-testid="map-land" />
        {shown.map((g) =>
          g.posts.length > 1 ? (
            <g
              key={`${g.x}:${g.y}`}
              data-testid="map-cluster"
              role="button"
              tabIndex={0}
              onClick={() => zoom(4, g)}
              onKeyDown={(e) => e.key === 'Enter' && zoom(4, g)}
              style={{ cursor: 'zoom-in' }}
            >
              <title>{`${g.posts.length} posts here: click to zoom in`}</title>
              <circle cx={g.x} cy={g.y} r={(9 + Math.min(9, Math.log2(g.posts.length) * 2)) * r} fill="#c2410c" fillOpacity={0.85} />
              <text x={g.x} y={g.y} dy={4 * r} textAnchor="middle" fontSize={11 * r} fill="#fff" fontFamily="inherit">
                {g.posts.length}
              </text>
            </g>
          ) : (
            <Marker key={`${g.posts[0].platform}:${g.posts[0].t_id}`} post={g.posts[0]} r={r} onSelect={setSelected} />
          ),
        )}
      </svg>
      <small className="muted">
        ● own coordinates · ■ place (the centre of the area the platform named, not a position) · a number: posts close together, click to zoom in. Basemap:
        Natural Earth, shipped with Vigil.
        {geo.data && geo.data.scanned >= geo.data.limit ? ` Only the newest ${fmtNumber(geo.data.limit)} posts with a position are shown.` : ''}
        {geo.data?.readFrom ? ` Posts before ${fmtTime(geo.data.readFrom)} were not looked at: the map stops looking back after 10 s.` : ''}
      </small>
      {selected && (
        <blockquote data-testid="map-post">
          <p>{selected.text}</p>
          <footer>
            <small>
              {selected.user ? `@${selected.user}` : selected.platform}, {selected.createdAt ? fmtTime(selected.createdAt) : 'time unknown'} ·{' '}
              {selected.kind === 'point'
                ? `own coordinates ${selected.lat.toFixed(4)}, ${selected.lon.toFixed(4)}`
                : `place ${selected.place ?? '(unnamed)'} (its centre)`}
              {selected.kind === 'point' && selected.place ? ` · in ${selected.place}` : ''}
            </small>
          </footer>
        </blockquote>
      )}
    </article>
  );
}

function Marker({ post, r, onSelect }: { post: GeoPost; r: number; onSelect: (p: GeoPost) => void }) {
  const x = px(post.lon);
  const y = py(post.lat);
  const label = `${post.user ? `@${post.user}` : post.platform}: ${post.text.slice(0, 80)}`;
  const common = {
    role: 'button',
    tabIndex: 0,
    'aria-label': label,
    onClick: () => onSelect(post),
    onKeyDown: (e: React.KeyboardEvent) => e.key === 'Enter' && onSelect(post),
    style: { cursor: 'pointer' },
    stroke: '#fff',
    strokeWidth: 1,
    vectorEffect: 'non-scaling-stroke' as const,
  };
  return post.kind === 'point' ? (
    <circle {...common} data-testid="map-point" cx={x} cy={y} r={5 * r} fill="#1d4ed8" />
  ) : (
    <rect {...common} data-testid="map-place" x={x - 5 * r} y={y - 5 * r} width={10 * r} height={10 * r} fill="#7c3aed" />
  );
}

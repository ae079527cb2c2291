// The manifest that travels with a dataset export: what the event was (and how its keywords changed), where the
// posts came from, the time they span, what was left out, the files with their checksums, and how to cite it.

import type { CoverageReport } from './coverage.js';
import type { VigilEvent } from './event.js';
import type { EventHistoryEntry } from './ports.js';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
  rows: number;
}

export interface DatasetManifest {
  format: 'vigil-dataset/1';
  title: string;
  generatedAt: string;
  vigilVersion: string;
  event: Pick<VigilEvent, 'id' | 'name' | 'keywords' | 'accounts' | 'boxes' | 'languages' | 'active' | 'createdAt'> | null;
  /** Every change of the event's definition, oldest first (null where the event manager runs apart). */
  keywordHistory: EventHistoryEntry[] | null;
  window: { first: string | null; last: string | null };
  platforms: { platform: string; rows: number }[];
  rows: number;
  /** Posts deleted on their platform after collection, left out of the files. */
  deletedLeftOut: number;
  /** What the collection missed in the event's window: uptime, gaps, reconnects, withheld posts, rejects per source. */
  coverage: CoverageReport | null;
  files: ManifestFile[];
  howToCite: string;
}

export interface ManifestInput {
  eventName: string;
  event: VigilEvent | null;
  history: EventHistoryEntry[] | null;
  version: string;
  generatedAt: string;
  window: { first: string | null; last: string | null };
  platforms: { platform: string; rows: number }[];
  deleted: number;
  coverage: CoverageReport | null;
  files: ManifestFile[];
}

export function buildManifest(i: ManifestInput): DatasetManifest {
  const rows = i.platforms.reduce((n, p) => n + p.rows, 0);
  const span = i.window.first && i.window.last ? `${i.window.first.slice(0, 10)} to ${i.window.last.slice(0, 10)}` : 'no posts';
  return {
    format: 'vigil-dataset/1',
    title: `${i.eventName}: social-media posts collected with Vigil`,
    generatedAt: i.generatedAt,
    vigilVersion: i.version,
    event: i.event
      ? {
          id: i.event.id,
          name: i.event.name,
          keywords: i.event.keywords,
          accounts: i.event.accounts ?? [],
          boxes: i.event.boxes ?? [],
          languages: i.event.languages ?? [],
          active: i.event.active,
          createdAt: i.event.createdAt,
        }
      : null,
    keywordHistory: i.history,
    window: i.window,
    platforms: i.platforms,
    rows,
    deletedLeftOut: i.deleted,
    coverage: i.coverage,
    files: i.files,
    howToCite: `"${i.eventName}" dataset (${rows} posts from ${i.platforms.map((p) => p.platform).join(', ') || 'no platform'}, ${span}), collected with Vigil ${i.version}, exported ${i.generatedAt.slice(0, 10)}. File checksums (SHA-256) in manifest.json.`,
  };
}

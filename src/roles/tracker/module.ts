// The tracker role: one source at a time (a live platform, or archives from the import folder), every raw line
// published unchanged to the raw topic, and what happens to live connections recorded as coverage.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sourcePlugin } from '../../adapters/registry.js';
import { utcText } from '../../core/time-text.js';
import { registerTrackerRoutes } from '../../http/tracker-routes.js';
import type { ModuleManager } from '../../runtime/modules.js';
import { need, type Services } from '../../runtime/services.js';
import { RESTORED_MARKER } from '../../util/restored-marker.js';
import { CoverageRecorder } from './coverage-recorder.js';
import { ImportFolder } from './import-folder.js';
import { Tracker } from './tracker.js';

function initTracker(s: Services) {
  const { config } = s;
  const log = s.log.child('tracker');
  const bus = need(s, 'bus');
  const metrics = need(s, 'metrics');
  const coverage = new CoverageRecorder(bus, log, { gapMs: config.coverageGapMs, heartbeatMs: config.coverageHeartbeatMs });
  const tracker = new Tracker(bus, join(config.dataDir, 'replay-progress.json'), log, {
    activeFile: join(config.dataDir, 'replay-active.json'),
    handoverOverlapMs: config.handoverOverlapMs,
    coverage,
    onPublish: (source, n) => metrics.trackerPublished.inc({ source }, n),
  });
  s.tracker = tracker;
  s.checks.push({
    name: 'tracker',
    check: async () => {
      const r = tracker.ready();
      if (!r.ready) throw new Error(r.reason);
    },
  });
  registerTrackerRoutes(need(s, 'app'), tracker, { imports: new ImportFolder(config.importDir), maxUploadBytes: config.importMaxBytes });
  const stops: (() => Promise<void> | void)[] = [];
  s.afterListen.push(() => startCollecting({ ...s, log }, tracker, (stop) => stops.push(stop)));
  return async () => {
    await tracker.stop();
    for (const stop of stops.reverse()) await stop();
    await coverage.close();
  };
}

/** When the data directory was restored from a backup (`vigil restore` leaves a note), the backup's time; the note is read once. */
async function readRestoredMarker(dataDir: string): Promise<string | null> {
  const file = join(dataDir, RESTORED_MARKER);
  const note = await readFile(file, 'utf8').catch(() => null);
  if (note === null) return null;
  await rm(file, { force: true });
  try {
    return String((JSON.parse(note) as { backupCreatedAt?: unknown }).backupCreatedAt ?? 'an unknown time');
  } catch {
    return 'an unknown time';
  }
}

/** The replay given at start, else the live source chosen, else the replay of the previous run carried on. */
async function startCollecting(s: Services, tracker: Tracker, onStop: (stop: () => Promise<void> | void) => void): Promise<void> {
  const { config, log } = s;
  if (config.replay) {
    await tracker.replay(config.replay, config.rate);
    return;
  }
  const live = sourcePlugin(config.source);
  if (live) await live.follow({ config, log, tracker, events: need(s, 'eventCatalog'), metrics: need(s, 'metrics'), onStop });
  else if (await tracker.resume()) {
    const src = tracker.status().source;
    const restored = await readRestoredMarker(config.dataDir);
    log[restored ? 'warn' : 'info'](
      `carrying on the replay of ${src?.source.replace(/^replay:/u, '') ?? 'the previous run'} after its first ${src?.alreadyPublished ?? 0} lines${
        restored ? ` (this data directory was restored from a backup made at ${utcText(restored)}, during or after that replay)` : ''
      }; start with --replay FILE to replay another file instead`,
    );
  } else if (s.announce === 'vigil is running')
    log.info('no source configured: upload an archive in the UI (or: vigil import FILE), or restart with --replay FILE.jsonl [--rate N]');
}

export function registerTrackerModule(m: ModuleManager<Services>): void {
  m.register('tracker', ['bus', 'http', 'metrics', 'event-catalog'], initTracker);
}

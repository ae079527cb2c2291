// The X API v2 filtered stream as a live source: the events live on X as stream rules, synced as they change.

import { UsageError } from '../../core/errors.js';
import type { SourcePlugin } from '../plugin.js';
import { X_SETTINGS } from './settings.js';

export const xSource: SourcePlugin = {
  name: 'x-v2',
  doc: 'the X API v2 filtered stream (bearer token): one rule per event',
  settings: X_SETTINGS,
  shape: { name: 'x-v2', split: null },
  async follow({ config, tracker, events, metrics, log, onStop }) {
    const bearer = process.env.VIGIL_X_BEARER_TOKEN;
    if (!bearer) throw new UsageError("--source x-v2 needs the app's bearer token: set VIGIL_X_BEARER_TOKEN (README: Live sources)");
    const { XRulesClient, XRuleSync, XStreamSource } = await import('./x-stream.js');
    const sync = new XRuleSync(
      new XRulesClient(config.xApiUrl, bearer),
      () => events.list(),
      (m) => log.error('X stream rules could not be updated; retrying', { reason: m }),
    );
    await sync.start();
    onStop(() => sync.stop());
    await tracker.follow(new XStreamSource({ base: config.xApiUrl, bearer, onReconnect: () => metrics.sourceReconnects.inc({ source: 'x-v2' }) }));
  },
};

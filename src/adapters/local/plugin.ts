// The local orchestrator: roles as child processes of the controller, on this machine.

import type { LocalOrchestratorPlugin } from '../plugin.js';

export const localOrchestrator: LocalOrchestratorPlugin = {
  name: 'local',
  doc: 'child processes on this machine, restarted when they die (vigil run --roles all)',
  local: true,
  async create({ config, log, bin, env, trackerEnv }) {
    const { LocalOrchestrator } = await import('./local-orchestrator.js');
    return new LocalOrchestrator({ bin, env, trackerEnv, dataDir: config.dataDir, handoverOverlapMs: config.handoverOverlapMs, log });
  },
};

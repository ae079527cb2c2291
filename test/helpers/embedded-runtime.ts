// Waiting on an embedded runtime in tests.

import type { EmbeddedRuntime } from '../../src/runtime/embedded.js';

/** Resolves once the current replay is read to its end and every line it published is classified and stored. */
export async function replayStored(rt: EmbeddedRuntime): Promise<void> {
  await rt.tracker.idle();
  while ((await rt.lag()) > 0) await new Promise((r) => setTimeout(r, 20));
}

// The controller over a real (embedded) bus and a recording orchestrator: it follows the event state, re-plans the
// trackers only when the keywords change, and sizes the classifiers from the consumer lag within the bounds.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { TWITTER_V1_SHAPE } from '../../src/adapters/twitter/plugin.js';
import type { VigilEvent } from '../../src/core/event.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { eventStateRecords } from '../../src/core/event-state.js';
import type { TrackerConnection } from '../../src/core/plan.js';
import { type ManagedProcess, type Orchestrator, TOPICS } from '../../src/core/ports.js';
import { Controller } from '../../src/roles/controller/controller.js';
import { silentLogger } from '../../src/util/log.js';
import { waitFor } from '../helpers/vigil-process.js';

class RecordingOrchestrator implements Orchestrator {
  readonly kind = 'recording';
  readonly calls: (['trackers', TrackerConnection[]] | ['scale', number])[] = [];
  async applyTrackers(c: readonly TrackerConnection[]): Promise<void> {
    this.calls.push(['trackers', [...c]]);
  }
  async scaleClassifiers(n: number): Promise<void> {
    this.calls.push(['scale', n]);
  }
  async status(): Promise<ManagedProcess[]> {
    return [];
  }
  async close(): Promise<void> {}
}

const ev = (name: string, keywords: string[], active = true): VigilEvent => ({
  id: legacyEventId(name),
  name,
  keywords,
  active,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});
const publishState = (bus: FileLogBus, events: VigilEvent[]) =>
  bus.publish(TOPICS.events, eventStateRecords(events, { action: 'snapshot', name: null }, new Date().toISOString()));

let controller: Controller | null = null;
let bus: FileLogBus | null = null;
afterEach(async () => {
  await controller?.stop();
  await bus?.close();
});

describe('controller', () => {
  it('plans the union of active keywords, and re-plans only when it changes', async () => {
    bus = await FileLogBus.open({ dir: join(await mkdtemp(join(tmpdir(), 'vigil-ctl-')), 'bus') });
    await publishState(bus, [ev('Sandy', ['sandy', 'flooding'])]);
    const orch = new RecordingOrchestrator();
    controller = new Controller(bus, orch, silentLogger, {
      source: TWITTER_V1_SHAPE,
      scaling: { min: 1, max: 3, lagPerReplica: 1000 },
      scaleIntervalMs: 60_000,
      pollMs: 50,
    });
    await controller.start();
    expect(orch.calls[0]).toEqual(['scale', 1]);
    expect(orch.calls[1][0]).toBe('trackers');
    expect((orch.calls[1][1] as TrackerConnection[])[0].keywords).toEqual(['flooding', 'sandy']);

    await publishState(bus, [ev('Sandy', ['flooding', 'sandy']), ev('Paused', ['x'], false)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(orch.calls.filter((c) => c[0] === 'trackers')).toHaveLength(1);

    await publishState(bus, [ev('Sandy', ['sandy', 'flooding', 'evacuate'])]);
    await waitFor('a new plan', async () => orch.calls.filter((c) => c[0] === 'trackers').length === 2, 5000);
    const last = orch.calls.at(-1)![1] as TrackerConnection[];
    expect(last[0].keywords).toEqual(['evacuate', 'flooding', 'sandy']);
    expect(controller.status().trackers).toEqual(last);

    await publishState(bus, [ev('Sandy', ['sandy'], false)]);
    await waitFor('no connection when nothing is active', async () => (orch.calls.at(-1)![1] as TrackerConnection[]).length === 0, 5000);
  });

  it('raises classifiers from the consumer lag up to the maximum, and lowers them once it is gone', async () => {
    bus = await FileLogBus.open({ dir: join(await mkdtemp(join(tmpdir(), 'vigil-ctl-')), 'bus') });
    const orch = new RecordingOrchestrator();
    controller = new Controller(bus, orch, silentLogger, {
      source: { name: 'replay', split: null },
      scaling: { min: 1, max: 3, lagPerReplica: 1000 },
      scaleIntervalMs: 50,
      pollMs: 50,
    });
    await controller.start();
    await bus.publish(
      TOPICS.raw,
      Array.from({ length: 2500 }, (_, i) => ({ key: String(i), value: `{"id_str":"${i}"}` })),
    );
    await waitFor('3 classifiers for a lag of 2,500', async () => controller!.status().classifiers === 3, 5000);
    const sub = await bus.subscribe(TOPICS.raw, 'vigil-classifier', async () => {});
    await waitFor('back to 1 once the lag is gone', async () => controller!.status().classifiers === 1, 5000);
    await sub.stop();
    const scales = orch.calls.filter((c) => c[0] === 'scale').map((c) => c[1]);
    expect(scales).toEqual([1, 3, 2, 1]);
  });

  it('reports a failed tracker apply until it succeeds, retrying it on every tick without a new event state', async () => {
    bus = await FileLogBus.open({ dir: join(await mkdtemp(join(tmpdir(), 'vigil-ctl-')), 'bus') });
    await publishState(bus, [ev('Sandy', ['sandy'])]);
    const orch = new RecordingOrchestrator();
    let refusal: string | null = 'Kubernetes RBAC denied the controller: cannot patch resource "deployments"';
    orch.applyTrackers = async (c) => {
      orch.calls.push(['trackers', [...c]]);
      if (refusal) throw new Error(refusal);
    };
    const errors: string[] = [];
    controller = new Controller(
      bus,
      orch,
      { ...silentLogger, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) },
      { source: { name: 'replay', split: null }, scaling: { min: 1, max: 1, lagPerReplica: 1000 }, scaleIntervalMs: 50, pollMs: 50 },
    );
    await controller.start();
    expect(controller.status().orchestratorError).toBe(refusal);
    expect(controller.status().trackers).toEqual([]);
    await waitFor('retries on the tick', async () => orch.calls.filter((c) => c[0] === 'trackers').length >= 3, 5000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('cannot patch resource');

    // A newer state while it fails: the retries apply the newest plan, never the older one after it.
    await publishState(bus, [ev('Sandy', ['sandy', 'storm'])]);
    await waitFor(
      'the newer plan tried',
      async () => orch.calls.some((c) => c[0] === 'trackers' && (c[1] as TrackerConnection[])[0]?.keywords.length === 2),
      5000,
    );
    refusal = null;
    await waitFor('applied once the refusal is gone', async () => controller!.status().trackers.length === 1, 5000);
    expect(controller.status().orchestratorError).toBeNull();
    expect(controller.status().trackers[0].keywords).toEqual(['sandy', 'storm']);
    const applied = orch.calls.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(orch.calls.slice(applied - 1).every((c) => c[0] === 'scale' || (c[1] as TrackerConnection[])[0].keywords.length === 2)).toBe(true);
  });
});

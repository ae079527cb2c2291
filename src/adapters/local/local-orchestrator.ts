// The local orchestrator: runs roles as child processes of this one (`vigil run` with one role each), restarts a
// role that died with a growing backoff, and replaces a tracker make-before-break: the new process must answer
// /readyz before the old one gets SIGTERM. Children log to this process's stderr with their id in each line.

import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { errorMessage } from '../../core/errors.js';
import type { TrackerConnection } from '../../core/plan.js';
import type { ManagedProcess, ProcessHost } from '../../core/ports.js';
import type { Logger } from '../../util/log.js';
import { backoffDelay } from '../../util/retry.js';

export interface LocalOrchestratorOptions {
  /** The vigil entry point (bin/vigil.js). */
  bin: string;
  /** Environment of every child: the parent's settings, as VIGIL_* variables. */
  env: NodeJS.ProcessEnv;
  /** More environment for trackers only (the replay file). */
  trackerEnv?: NodeJS.ProcessEnv;
  dataDir: string;
  log: Logger;
  /** Restart delays grow from this (default 500 ms) … */
  backoffMinMs?: number;
  /** … up to this (default 30 s); a child that ran a minute starts over from the minimum. */
  backoffMaxMs?: number;
  /** How long a new process may take to be ready (default 60 s). */
  readyTimeoutMs?: number;
  /** How long a replaced tracker keeps running beside its ready successor (default 2 s), so nothing in flight is lost. */
  handoverOverlapMs?: number;
}

interface Child {
  id: string;
  role: string;
  env: NodeJS.ProcessEnv;
  proc: ChildProcess | null;
  port: number;
  state: ManagedProcess['state'];
  restarts: number;
  failures: number;
  /** When it started: the wall clock's time (shown) and the monotonic clock's (how long it ran). */
  startedAt: number | null;
  startedMono: number;
  stopping: boolean;
  detail?: string;
  exited: Promise<void>;
  timer?: NodeJS.Timeout;
}

/** A free port: `wanted` if it can be bound, else any. */
async function freePort(wanted = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', (err: NodeJS.ErrnoException) => (wanted !== 0 && err.code === 'EADDRINUSE' ? freePort(0).then(resolve, reject) : reject(err)));
    srv.listen(wanted, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class LocalOrchestrator implements ProcessHost {
  readonly kind = 'local';
  private readonly children = new Map<string, Child>();
  /** A tracker being replaced runs beside its successor for a moment; kept here until it has stopped. */
  private readonly retiring = new Set<Child>();
  private closed = false;

  constructor(private readonly options: LocalOrchestratorOptions) {}

  /** Starts a role that is not managed by the plan (events, analytics) and waits until it is ready. */
  async startRole(id: string, role: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
    const child = await this.spawnChild(id, role, env);
    this.children.set(id, child);
    await this.waitReady(child);
  }

  /** The URL of a running child, for the gateway; null while it is (re)starting. */
  urlOf(id: string): string | null {
    const c = this.children.get(id);
    return c?.proc && c.state !== 'exited' ? `http://127.0.0.1:${c.port}` : null;
  }

  private async spawnChild(id: string, role: string, env: NodeJS.ProcessEnv, previous?: Child): Promise<Child> {
    // A restarted process keeps its port when it is free (others, e.g. the events URL, stay right).
    const port = previous ? await freePort(previous.port) : await freePort();
    const events = this.children.get('events');
    const fullEnv: NodeJS.ProcessEnv = {
      ...this.options.env,
      ...(events && id !== 'events' ? { VIGIL_EVENTS_URL: `http://127.0.0.1:${events.port}` } : {}),
      ...env,
      VIGIL_ROLES: role,
      VIGIL_PORT: String(port),
      VIGIL_HOST: '127.0.0.1',
      VIGIL_DATA: join(this.options.dataDir, id),
      VIGIL_PROCESS_ID: id,
    };
    const proc = spawn(process.execPath, [this.options.bin, 'run'], { env: fullEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    const child: Child = previous ?? {
      id,
      role,
      env,
      proc: null,
      port,
      state: 'starting',
      restarts: 0,
      failures: 0,
      startedAt: null,
      startedMono: 0,
      stopping: false,
      exited: Promise.resolve(),
    };
    Object.assign(child, { proc, port, env, state: 'starting', startedAt: Date.now(), startedMono: performance.now(), stopping: false, detail: undefined });
    child.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        resolve();
        this.onExit(child, proc, code, signal);
      });
    });
    this.options.log.info('started a role process', { id, role, pid: proc.pid, port });
    return child;
  }

  private onExit(child: Child, proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child.proc !== proc) return;
    child.proc = null;
    if (child.stopping || this.closed || this.retiring.has(child)) {
      child.state = 'exited';
      return;
    }
    const ranMs = performance.now() - child.startedMono;
    child.failures = ranMs > 60_000 ? 1 : child.failures + 1;
    const delay = backoffDelay(child.failures, { growth: 'exponential', minMs: this.options.backoffMinMs ?? 500, maxMs: this.options.backoffMaxMs ?? 30_000 });
    child.state = 'restarting';
    child.detail = `exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`;
    this.options.log.warn('a role process died; restarting it', {
      id: child.id,
      role: child.role,
      exit: signal ?? code,
      delayMs: delay,
      restarts: child.restarts + 1,
    });
    child.timer = setTimeout(() => {
      if (child.stopping || this.closed) return;
      child.restarts++;
      void this.spawnChild(child.id, child.role, child.env, child).then(
        (c) => this.waitReady(c).catch(() => undefined),
        (err: Error) => this.options.log.error('cannot restart a role process', { id: child.id, reason: err.message }),
      );
    }, delay);
  }

  private async waitReady(child: Child): Promise<void> {
    const deadline = performance.now() + (this.options.readyTimeoutMs ?? 60_000);
    let reason = 'no answer yet';
    while (performance.now() < deadline) {
      if (!child.proc) throw new Error(`${child.id} exited before it was ready (${child.detail ?? 'see its log above'})`);
      try {
        const res = await fetch(`http://127.0.0.1:${child.port}/readyz`, { signal: AbortSignal.timeout(5000) });
        if (res.ok) {
          child.state = 'ready';
          child.detail = undefined;
          return;
        }
        reason = JSON.stringify(((await res.json()) as { checks?: unknown }).checks ?? res.status);
      } catch (err) {
        reason = errorMessage(err);
      }
      await sleep(200);
    }
    throw new Error(`${child.id} was not ready within ${this.options.readyTimeoutMs ?? 60_000} ms: ${reason}`);
  }

  private async stopChild(child: Child): Promise<void> {
    child.stopping = true;
    clearTimeout(child.timer);
    if (!child.proc) return;
    child.state = 'stopping';
    const proc = child.proc;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await child.exited;
    clearTimeout(killer);
    child.state = 'exited';
  }

  async applyTrackers(connections: readonly TrackerConnection[]): Promise<void> {
    const wanted = new Map(connections.map((c) => [c.id, c]));
    for (const [id, child] of this.children) {
      if (child.role === 'tracker' && !wanted.has(id)) {
        await this.stopChild(child);
        this.children.delete(id);
      }
    }
    for (const conn of connections) {
      const env = {
        ...this.options.trackerEnv,
        VIGIL_TRACK_KEYWORDS: JSON.stringify(conn.keywords),
        VIGIL_TRACK_TARGETS: JSON.stringify({ follow: conn.follow ?? [], locations: conn.locations ?? [] }),
        VIGIL_TRACKER_HASH: conn.hash,
      };
      const old = this.children.get(conn.id);
      if (old && old.env.VIGIL_TRACKER_HASH === conn.hash) continue;
      // Make before break: the successor must be ready before the running one is told to stop.
      const next = await this.spawnChild(conn.id, 'tracker', env);
      try {
        await this.waitReady(next);
      } catch (err) {
        this.retiring.add(next);
        await this.stopChild(next);
        this.retiring.delete(next);
        throw new Error(`the new ${conn.id} did not come up, so the running one was kept: ${errorMessage(err)}`);
      }
      this.children.set(conn.id, next);
      if (old) {
        this.retiring.add(old);
        await sleep(this.options.handoverOverlapMs ?? 2000);
        await this.stopChild(old);
        this.retiring.delete(old);
        this.options.log.info('tracker replaced make-before-break', { id: conn.id, keywords: conn.keywords.length });
      }
    }
  }

  async scaleClassifiers(replicas: number): Promise<void> {
    const current = [...this.children.values()].filter((c) => c.role === 'classifier').sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
    for (let i = current.length; i < replicas; i++) {
      const child = await this.spawnChild(`classifier-${i}`, 'classifier', {});
      this.children.set(child.id, child);
      await this.waitReady(child);
    }
    for (const child of current.slice(replicas).reverse()) {
      await this.stopChild(child);
      this.children.delete(child.id);
    }
  }

  async status(): Promise<ManagedProcess[]> {
    return [...this.children.values(), ...this.retiring].map((c) => ({
      id: c.id,
      role: c.role,
      state: c.state,
      pid: c.proc?.pid ?? null,
      url: c.proc ? `http://127.0.0.1:${c.port}` : null,
      restarts: c.restarts,
      startedAt: c.startedAt === null ? null : new Date(c.startedAt).toISOString(),
      ...(c.detail ? { detail: c.detail } : {}),
    }));
  }

  /** Stops every child (SIGTERM: each drains its batch in hand), trackers first so nothing new comes in. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.children.values()];
    const order = ['tracker', 'classifier', 'analytics', 'events'];
    for (const role of order) await Promise.all(all.filter((c) => c.role === role).map((c) => this.stopChild(c)));
    await Promise.all(all.filter((c) => !order.includes(c.role)).map((c) => this.stopChild(c)));
  }
}

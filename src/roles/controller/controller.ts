// Controller role: turns the event state into running collection. It follows the event state on the bus, plans the
// tracker connections (the union of active keywords, split at the source's limit) and hands every change to the
// orchestrator, which replaces a connection make-before-break; and it sizes the classifiers from the consumer lag.

import { errorMessage } from '../../core/errors.js';
import { desiredClassifiers, planTrackers, type ScalingPolicy, type SourceShape, type TrackerConnection } from '../../core/plan.js';
import { type Bus, type Orchestrator, TOPICS } from '../../core/ports.js';
import type { Logger } from '../../util/log.js';
import { CLASSIFIER_GROUP } from '../classifier/classifier.js';
import { EventStateReader, type PublishedState } from '../events/state-reader.js';

export interface ControllerOptions {
  source: SourceShape;
  scaling: ScalingPolicy;
  scaleIntervalMs: number;
  /** How often the event state is looked up (default 1 s). */
  pollMs?: number;
}

export interface ControllerStatus {
  orchestrator: string;
  /** The source's name. */
  source: string;
  trackers: TrackerConnection[];
  classifiers: number;
  lag: number | null;
  lastChange: string | null;
  lastError: string | null;
  /** Why the last orchestrator call failed, until one succeeds again (the readiness check reports it). */
  orchestratorError: string | null;
}

export class Controller {
  private readonly eventState: EventStateReader;
  private trackers: TrackerConnection[] = [];
  private classifiers = 0;
  private lag: number | null = null;
  private lastChange: string | null = null;
  private lastError: string | null = null;
  /** Why the orchestrator's last tracker apply and last classifier scale failed, until each succeeds again. */
  private failing: { trackers?: string; classifiers?: string } = {};
  /** The newest tracker plan decided; when applying it failed, every tick tries again (always the newest). */
  private wanted: TrackerConnection[] | null = null;
  private retryWanted = false;
  private chain: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly bus: Bus,
    private readonly orchestrator: Orchestrator,
    private readonly log: Logger,
    private readonly options: ControllerOptions,
  ) {
    this.eventState = new EventStateReader(bus);
  }

  /** Orchestrator calls run one at a time, in the order they were decided. */
  private serial(what: 'trackers' | 'classifiers', fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn).then(
      () => {
        if (this.failing[what]) this.log.info(`the orchestrator applied the ${what} again`, { after: this.failing[what] });
        delete this.failing[what];
      },
      (err: Error) => {
        // Said once per reason: a denial or a conflict retried every tick would otherwise fill the log.
        if (err.message !== this.failing[what])
          this.log.error(`the orchestrator failed to apply the ${what}; retrying on the next change or tick`, { reason: err.message });
        this.lastError = err.message;
        this.failing[what] = err.message;
      },
    );
    this.chain = next;
    return next;
  }

  /** Applies the current state and scale once, then keeps following them. */
  async start(): Promise<void> {
    await this.serial('classifiers', () => this.scaleTo(this.options.scaling.min));
    await this.reconcileEvents(true);
    const poll = setInterval(() => void this.reconcileEvents(false), this.options.pollMs ?? 1000);
    const scale = setInterval(() => void this.rescale(), this.options.scaleIntervalMs);
    this.timers.push(poll, scale);
  }

  private async scaleTo(n: number): Promise<void> {
    if (n === this.classifiers) return;
    this.log.info('classifier replicas', { from: this.classifiers, to: n, lag: this.lag });
    await this.orchestrator.scaleClassifiers(n);
    this.classifiers = n;
  }

  /** Re-plans when a new event state is on the bus (or `force`, at start: no state yet plans for no events). */
  async reconcileEvents(force: boolean): Promise<void> {
    if (this.stopped) return;
    let state: PublishedState | null;
    try {
      state = await this.eventState.changed(force);
    } catch (err) {
      this.lastError = `cannot read the event state: ${errorMessage(err)}`;
      return;
    }
    if (!state) return;
    if ('unreadable' in state) {
      this.log.error('ignoring an unreadable event state', { offset: state.offset, reason: state.unreadable });
      return;
    }
    const events = state.events;
    const plan = planTrackers(events, this.options.source);
    if (!force && !this.retryWanted && JSON.stringify(plan) === JSON.stringify(this.trackers)) return;
    this.log.info('tracker plan', { connections: plan.length, keywords: plan.reduce((n, c) => n + c.keywords.length, 0) });
    this.wanted = plan;
    await this.applyWanted();
  }

  /** Applies the newest plan when its turn comes (not the one of the moment it was queued: a retry is never stale). */
  private applyWanted(): Promise<void> {
    return this.serial('trackers', async () => {
      const plan = this.wanted;
      if (!plan || (plan === this.trackers && !this.retryWanted)) return;
      try {
        await this.orchestrator.applyTrackers(plan);
      } catch (err) {
        if (plan === this.wanted) this.retryWanted = true;
        throw err;
      }
      if (plan === this.wanted) this.retryWanted = false;
      this.trackers = plan;
      this.lastChange = new Date().toISOString();
    });
  }

  private async rescale(): Promise<void> {
    if (this.stopped) return;
    if (this.retryWanted) await this.applyWanted();
    try {
      this.lag = await this.bus.lag(TOPICS.raw, CLASSIFIER_GROUP);
    } catch (err) {
      this.lastError = `cannot read the consumer lag: ${errorMessage(err)}`;
      return;
    }
    const wanted = desiredClassifiers(this.classifiers, this.lag, this.options.scaling);
    if (wanted !== this.classifiers) await this.serial('classifiers', () => this.scaleTo(wanted));
  }

  status(): ControllerStatus {
    return {
      orchestrator: this.orchestrator.kind,
      source: this.options.source.name,
      trackers: this.trackers,
      classifiers: this.classifiers,
      lag: this.lag,
      lastChange: this.lastChange,
      lastError: this.lastError,
      orchestratorError: Object.values(this.failing).join('; ') || null,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.chain;
  }
}

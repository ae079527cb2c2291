// Event manager role: validated event CRUD over the repository; after every change the full state goes on the bus.

import { NotFoundError } from '../../core/errors.js';
import { applyEventPatch, type VigilEvent, validateEventInput } from '../../core/event.js';
import { type EventStateMessage, eventStateRecords } from '../../core/event-state.js';
import { type Bus, type EventHistoryEntry, type EventRepository, TOPICS } from '../../core/ports.js';
import { latestEventState } from './state-reader.js';

export class EventManager {
  /** Changes run one at a time, so the states on the bus are in the order of the changes. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: EventRepository,
    private readonly bus: Bus,
  ) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Publishes the state if the bus does not hold it yet (first start, or a crash between a change and its publish). */
  async start(): Promise<void> {
    const events = await this.repo.list();
    const latest = await latestEventState(this.bus);
    const onBus = latest && 'events' in latest ? latest.events : null;
    if (onBus === null || JSON.stringify(onBus) !== JSON.stringify(events)) await this.publish(events, { action: 'snapshot', name: null });
  }

  list(): Promise<VigilEvent[]> {
    return this.repo.list();
  }

  history(name: string): Promise<EventHistoryEntry[]> {
    return this.repo.history(name);
  }

  async get(name: string): Promise<VigilEvent> {
    const e = await this.repo.get(name);
    if (!e) throw new NotFoundError(`no event named "${name}"`);
    return e;
  }

  create(body: unknown): Promise<VigilEvent> {
    const input = validateEventInput(body);
    return this.serial(async () => {
      const created = await this.repo.create(input);
      await this.publishCurrent({ action: 'created', name: created.name });
      return created;
    });
  }

  replace(name: string, body: unknown): Promise<VigilEvent> {
    const input = validateEventInput(body);
    return this.serial(async () => {
      await this.get(name);
      const updated = await this.repo.replace(name, input);
      await this.publishCurrent({ action: 'updated', name: updated.name }, updated.name === name ? [] : [name]);
      return updated;
    });
  }

  patch(name: string, body: unknown): Promise<VigilEvent> {
    return this.serial(async () => {
      const updated = await this.repo.replace(name, applyEventPatch(await this.get(name), body));
      await this.publishCurrent({ action: 'updated', name: updated.name }, updated.name === name ? [] : [name]);
      return updated;
    });
  }

  delete(name: string): Promise<void> {
    return this.serial(async () => {
      await this.repo.delete(name);
      await this.publishCurrent({ action: 'deleted', name }, [name]);
    });
  }

  private async publishCurrent(change: EventStateMessage['change'], removed: string[] = []): Promise<void> {
    await this.publish(await this.repo.list(), change, removed);
  }

  private async publish(events: VigilEvent[], change: EventStateMessage['change'], removed: string[] = []): Promise<void> {
    await this.bus.publish(TOPICS.events, eventStateRecords(events, change, new Date().toISOString(), removed));
  }
}

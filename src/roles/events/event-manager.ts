// Event manager role: validated event CRUD over the repository; after every change the full state goes on the bus.

import { NotFoundError } from '../../core/errors.js';
import { applyEventPatch, type VigilEvent, validateEventInput } from '../../core/event.js';
import { type EventStateMessage, eventStateRecords } from '../../core/event-state.js';
import { type Bus, type EventHistoryEntry, type EventRepository, TOPICS } from '../../core/ports.js';
import { latestEventState } from './state-reader.js';

/** The longest a rename waits for the rows to follow before it answers (see waitForRows). */
const ROWS_FOLLOW_WAIT_MS = 10_000;

export class EventManager {
  /** Changes run one at a time, so the states on the bus are in the order of the changes. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Resolves once the stored rows follow the state just published (a classifier in this process), if any. */
  private rowsFollow: () => Promise<void> = async () => undefined;

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

  /**
   * Where a classifier runs in this process, a rename (or a name defined again) answers once the stored rows are
   * under the new name, so the next read sees them; at most ROWS_FOLLOW_WAIT_MS, after which they follow on their own.
   */
  waitForRows(rowsFollow: () => Promise<void>): void {
    this.rowsFollow = rowsFollow;
  }

  private async settled<T>(value: T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ROWS_FOLLOW_WAIT_MS);
    });
    await Promise.race([this.rowsFollow().catch(() => undefined), timeout]);
    clearTimeout(timer);
    return value;
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
    }).then((e) => this.settled(e));
  }

  replace(name: string, body: unknown): Promise<VigilEvent> {
    const input = validateEventInput(body);
    return this.serial(async () => {
      await this.get(name);
      const updated = await this.repo.replace(name, input);
      await this.publishCurrent({ action: 'updated', name: updated.name }, updated.name === name ? [] : [name]);
      return updated;
    }).then((e) => (e.name === name ? e : this.settled(e)));
  }

  patch(name: string, body: unknown): Promise<VigilEvent> {
    return this.serial(async () => {
      const updated = await this.repo.replace(name, applyEventPatch(await this.get(name), body));
      await this.publishCurrent({ action: 'updated', name: updated.name }, updated.name === name ? [] : [name]);
      return updated;
    }).then((e) => (e.name === name ? e : this.settled(e)));
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

// Prometheus metrics of one Vigil process (GET /metrics). Roles count into these; gauges that cost a call (consumer
// lag) are read when Prometheus scrapes.

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LONG_WORK, threadPoolSize } from '../util/long-work.js';

export class VigilMetrics {
  readonly registry = new Registry();
  readonly trackerPublished = new Counter({
    name: 'vigil_tracker_posts_published_total',
    help: 'Raw lines the tracker published to the raw topic',
    labelNames: ['source'],
    registers: [this.registry],
  });
  readonly sourceReconnects = new Counter({
    name: 'vigil_source_reconnects_total',
    help: 'Times a source connection was re-opened after a failure',
    labelNames: ['source'],
    registers: [this.registry],
  });
  readonly postsIn = new Counter({ name: 'vigil_classifier_lines_in_total', help: 'Raw lines the classifier consumed', registers: [this.registry] });
  readonly postsOut = new Counter({
    name: 'vigil_classifier_rows_out_total',
    help: 'Tweet rows written (one per matching event and post)',
    registers: [this.registry],
  });
  readonly rejects = new Counter({ name: 'vigil_rejects_total', help: 'Lines rejected with a reason (kept in the reject table)', registers: [this.registry] });
  readonly limited = new Counter({
    name: 'vigil_source_limited_posts_total',
    help: "Posts the platform withheld, from its 'limit' notices",
    registers: [this.registry],
  });
  readonly matches = new Counter({ name: 'vigil_event_matches_total', help: 'Posts matched per event', labelNames: ['event'], registers: [this.registry] });
  readonly storeLatency = new Histogram({
    name: 'vigil_store_write_seconds',
    help: 'Time from the first write of a batch of rows to its commit (the embedded store commits a bulk import many batches at once)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [this.registry],
  });
  readonly roleUp = new Gauge({ name: 'vigil_role_up', help: 'Roles running in this process', labelNames: ['role'], registers: [this.registry] });

  constructor(roles: readonly string[]) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_process_' });
    for (const r of roles) this.roleUp.set({ role: r }, 1);
    this.threadPoolGauges();
  }

  /** Node's thread pool, and the queries and exports that take turns on it (util/long-work.ts). */
  private threadPoolGauges(): void {
    new Gauge({
      name: 'vigil_thread_pool_threads',
      help: "Threads of Node's pool (UV_THREADPOOL_SIZE): DuckDB's statements and the embedded log's file work run there",
      registers: [this.registry],
      collect() {
        this.set(threadPoolSize());
      },
    });
    new Gauge({
      name: 'vigil_long_work_permits',
      help: "People's queries and exports that may run at once: all of Node's pool but two threads, at least one",
      registers: [this.registry],
      collect() {
        this.set(LONG_WORK.permits);
      },
    });
    new Gauge({
      name: 'vigil_long_work',
      help: 'People\'s queries and exports running (state="running") and waiting for their turn (state="waiting")',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const { held, waiting } = LONG_WORK.load;
        this.set({ state: 'running' }, held);
        this.set({ state: 'waiting' }, waiting);
      },
    });
  }

  /** A gauge whose value is read at scrape time (e.g. consumer lag from the bus). */
  gaugeFrom(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          this.set(Number.NaN);
        }
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

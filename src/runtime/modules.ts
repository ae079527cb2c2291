// The module manager: each part of a Vigil process (its data directory, the bus, the store, the HTTP server, each
// role…) is a module with the modules it needs and an init that returns how to stop it. Asked for some targets (the
// roles of this process), the manager starts what they need in dependency order, and stops it all in reverse; a
// failed start stops what had started. The same modules make one process (`vigil start`) or many (`vigil run`).

export type Stop = () => Promise<void> | void;

export interface Module<C> {
  name: string;
  /** The modules this one needs, which may depend on the context (e.g. the events role needs the accounts). */
  deps: readonly string[] | ((ctx: C) => readonly string[]);
  /** Starts the module; returns how to stop it, or nothing when there is nothing to stop. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an init with nothing to stop just returns
  init(ctx: C): Promise<Stop | void> | Stop | void;
}

export class ModuleManager<C> {
  private readonly modules = new Map<string, Module<C>>();

  private get(name: string, neededBy?: string): Module<C> {
    const m = this.modules.get(name);
    if (!m) throw new Error(`no module named ${name}${neededBy ? ` (needed by ${neededBy})` : ''}`);
    return m;
  }

  register(name: string, deps: Module<C>['deps'], init: Module<C>['init']): this {
    if (this.modules.has(name)) throw new Error(`module ${name} is registered twice`);
    this.modules.set(name, { name, deps, init });
    return this;
  }

  /** The modules `targets` need, each after the ones it needs; throws on an unknown module or a cycle. */
  order(targets: readonly string[], ctx: C): string[] {
    const done = new Set<string>();
    const visiting: string[] = [];
    const out: string[] = [];
    const visit = (name: string): void => {
      if (done.has(name)) return;
      if (visiting.includes(name)) throw new Error(`modules depend on each other in a circle: ${[...visiting, name].join(' → ')}`);
      const m = this.get(name, visiting[visiting.length - 1]);
      visiting.push(name);
      for (const d of typeof m.deps === 'function' ? m.deps(ctx) : m.deps) visit(d);
      visiting.pop();
      done.add(name);
      out.push(name);
    };
    for (const t of targets) visit(t);
    return out;
  }

  /** Starts `targets` and what they need; resolves to the stop of all of them (in reverse order). */
  async start(targets: readonly string[], ctx: C): Promise<Stop> {
    const stops: { name: string; stop: Stop }[] = [];
    const stopAll = async (): Promise<void> => {
      for (const { stop } of stops.reverse()) await stop();
      stops.length = 0;
    };
    try {
      for (const name of this.order(targets, ctx)) {
        const stop = await this.get(name).init(ctx);
        if (stop) stops.push({ name, stop });
      }
    } catch (err) {
      await stopAll();
      throw err;
    }
    return stopAll;
  }
}

// Aho–Corasick: finds every occurrence of many patterns in one pass over a text, whatever their number.

interface Node {
  next: Map<string, number>;
  fail: number;
  /** Pattern ids that end here, including those reached through fail links. */
  out: number[];
}

export class AhoCorasick {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];

  /** @param patterns already case-folded; the id of a pattern is its index. */
  constructor(patterns: readonly string[]) {
    for (const [id, p] of patterns.entries()) this.insert(p, id);
    this.link();
  }

  get size(): number {
    return this.nodes.length - 1;
  }

  private insert(pattern: string, id: number): void {
    if (pattern === '') return;
    let s = 0;
    for (const ch of pattern) {
      let t = this.nodes[s].next.get(ch);
      if (t === undefined) {
        t = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, out: [] });
        this.nodes[s].next.set(ch, t);
      }
      s = t;
    }
    this.nodes[s].out.push(id);
  }

  private link(): void {
    const queue: number[] = [];
    for (const t of this.nodes[0].next.values()) queue.push(t);
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i];
      for (const [ch, t] of this.nodes[s].next) {
        let f = this.nodes[s].fail;
        while (f !== 0 && !this.nodes[f].next.has(ch)) f = this.nodes[f].fail;
        const g = this.nodes[f].next.get(ch);
        this.nodes[t].fail = g !== undefined && g !== t ? g : 0;
        this.nodes[t].out.push(...this.nodes[this.nodes[t].fail].out);
        queue.push(t);
      }
    }
  }

  /** Calls `found` with the id of each pattern that occurs in `text` (possibly more than once). */
  scan(text: string, found: (id: number) => void): void {
    if (this.nodes.length === 1) return;
    let s = 0;
    for (const ch of text) {
      while (s !== 0 && !this.nodes[s].next.has(ch)) s = this.nodes[s].fail;
      s = this.nodes[s].next.get(ch) ?? 0;
      for (const id of this.nodes[s].out) found(id);
    }
  }
}

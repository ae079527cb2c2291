// Watches the process's memory while something that may grow it without bound runs (a person's query): when the
// resident set grows by more than the allowed amount since the watch began, the watcher is told, once.

const INTERVAL_MS = 100;

interface Watch {
  base: number;
  growth: number;
  over: () => void;
}

const watches = new Set<Watch>();
let timer: NodeJS.Timeout | null = null;

function tick(): void {
  const rss = process.memoryUsage.rss();
  for (const w of watches) {
    if (rss - w.base > w.growth) {
      watches.delete(w);
      w.over();
    }
  }
  if (watches.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

/** Calls `over` if the process grows by more than `growthBytes` before the returned stop function is called. */
export function watchMemory(growthBytes: number, over: () => void): () => void {
  const w: Watch = { base: process.memoryUsage.rss(), growth: growthBytes, over };
  watches.add(w);
  if (!timer) {
    timer = setInterval(tick, INTERVAL_MS);
    timer.unref();
  }
  return () => {
    watches.delete(w);
  };
}

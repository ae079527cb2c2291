// How numbers, sizes and times are written on every page (no DOM: unit-tested on its own).

export function fmtNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${(n / 2 ** 30).toFixed(2)} GB`;
}

/** The browser's zone, as a date input means it: "your time, UTC−05:00". */
export function localZone(at: Date = new Date()): string {
  const off = -at.getTimezoneOffset();
  const h = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
  const m = String(Math.abs(off) % 60).padStart(2, '0');
  return `your time, UTC${off < 0 ? '−' : '+'}${h}:${m}`;
}

export function fmtTime(iso: string | null): string {
  if (!iso) return '—';
  return `${new Date(iso).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
